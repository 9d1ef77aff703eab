"""Notifications of the Issue Resolution Process (IRP).

Events (sent from the services, inside their transaction; emails go out on commit):
- an IRP raised, escalated to a new stage, or referred to Cafcass: to the named responder of the
  stage and to the raising IRO's team manager;
- a responder's reply or proposed resolution: to the raising IRO.

Rules (hourly):
- a stage response due on the next working day: to the responder;
- a stage response overdue: to the responder and the raising IRO (who can then escalate);
- with EscalationSettings.auto_escalate_after_working_days set (off by default), an IRP whose
  response is that many working days overdue moves to the next stage automatically.
"""

from __future__ import annotations

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.urls import reverse

from escalations.models import (
    Escalation,
    EscalationChild,
    EscalationSettings,
    EscalationStage,
    EscalationState,
    StageDefinition,
)
from escalations.selectors import responders
from iro.notifications.people import child_label, day, team_manager_ids_for
from iro.notifications.services import notifications_create
from iro.registry import Reminder, ReminderRule, registry
from iro.rules import add_working_days, working_days_between

logger = logging.getLogger(__name__)

KINDS = {
    "irp_raised": "An IRP is raised (to its responder and the IRO's team manager)",
    "irp_escalated": "An IRP moves to a new stage",
    "irp_referred_cafcass": "An IRP is referred to Cafcass",
    "irp_replied": "A responder replies to your IRP",
    "irp_response_due": "An IRP response is due tomorrow",
    "irp_response_overdue": "An IRP response is overdue",
    "irp_auto_escalated": "An IRP was escalated automatically",
}


def _children_of(escalation_ids) -> dict[int, list]:
    found: dict[int, list] = {}
    for link in EscalationChild.objects.filter(escalation_id__in=escalation_ids).select_related(
        "child"
    ):
        found.setdefault(link.escalation_id, []).append(link.child)
    return found


def _reminder(kind, recipient_id, escalation, children, due, named, anonymous, about=None):
    """A reminder about an IRP; `about` = (object type, id) when keyed on a stage instead."""
    who = ", ".join(child_label(c) for c in children)
    object_type, object_id = about or ("escalations.escalation", escalation.pk)
    return Reminder(
        kind=kind,
        recipient_id=recipient_id,
        object_type=object_type,
        object_id=object_id,
        due_date=due,
        text=f"IRP {escalation.pk} for {who}: {named}",
        text_anonymous=f"IRP {escalation.pk} raised on {day(escalation.raised_on)}: {anonymous}",
        url=reverse("escalations:detail", args=[escalation.pk]),
        child_ids=tuple(c.pk for c in children),
    )


def _stage_event(kind: str, escalation: Escalation, stage: EscalationStage, what: str) -> None:
    children = _children_of([escalation.pk]).get(escalation.pk, [])
    managers = team_manager_ids_for([escalation.raised_by_id])[escalation.raised_by_id]
    deadline = f"response due by {day(stage.response_deadline)}"
    reminders = [
        _reminder(
            kind,
            stage.responder_id,
            escalation,
            children,
            None,
            f"{what} {stage.definition.name}; you are the named responder, {deadline}",
            f"{what} {stage.definition.name}; you are the named responder, {deadline}",
        )
    ]
    for manager_id in managers:
        if manager_id != stage.responder_id:
            text = f"{what} {stage.definition.name} by {escalation.raised_by}, {deadline}"
            reminders.append(_reminder(kind, manager_id, escalation, children, None, text, text))
    notifications_create(reminders=reminders)


def irp_raised(escalation: Escalation) -> None:
    stage = escalation.stages.filter(closed_on__isnull=True).select_related("definition").get()
    _stage_event("irp_raised", escalation, stage, "raised at")


def irp_escalated(escalation: Escalation) -> None:
    stage = escalation.stages.filter(closed_on__isnull=True).select_related("definition").get()
    _stage_event("irp_escalated", escalation, stage, "escalated to")


def irp_referred_cafcass(escalation: Escalation) -> None:
    children = _children_of([escalation.pk]).get(escalation.pk, [])
    stage = escalation.stages.select_related("definition").order_by("-started_on", "-pk").first()
    recipients = set(team_manager_ids_for([escalation.raised_by_id])[escalation.raised_by_id])
    if stage is not None:
        recipients.add(stage.responder_id)
    text = f"referred to Cafcass on {day(escalation.cafcass_referred_on)}"
    notifications_create(
        reminders=[
            _reminder("irp_referred_cafcass", uid, escalation, children, None, text, text)
            for uid in sorted(recipients)
        ]
    )


def irp_replied(escalation: Escalation, stage: EscalationStage) -> None:
    children = _children_of([escalation.pk]).get(escalation.pk, [])
    if stage.proposes_resolution:
        text = f"{stage.responder} replied that the issue is resolved; accept it or escalate"
    else:
        text = f"{stage.responder} replied on {day(stage.responded_on)}"
    notifications_create(
        reminders=[
            _reminder(
                "irp_replied", escalation.raised_by_id, escalation, children, None, text, text
            )
        ]
    )


def _open_unanswered_stages():
    return EscalationStage.objects.filter(
        closed_on__isnull=True,
        responded_on__isnull=True,
        escalation__status=EscalationState.AWAITING_RESPONSE,
    ).select_related("escalation", "definition", "responder")


def response_due_tomorrow(today: date) -> list[Reminder]:
    """Responses due on the next working day (on Friday: Monday's): to the responder.

    The rule also finds the response on its deadline day, so the reminder stays in the
    responder's inbox until it is answered or becomes overdue (it is sent once either way)."""
    next_day = add_working_days(today, 1)
    stages = list(
        _open_unanswered_stages().filter(
            response_deadline__gte=today, response_deadline__lte=next_day
        )
    )
    children = _children_of({s.escalation_id for s in stages})
    return [
        _reminder(
            "irp_response_due",
            stage.responder_id,
            stage.escalation,
            children.get(stage.escalation_id, []),
            stage.response_deadline,
            f"your response at {stage.definition.name} is due by {day(stage.response_deadline)}",
            f"your response at {stage.definition.name} is due by {day(stage.response_deadline)}",
            about=("escalations.escalationstage", stage.pk),
        )
        for stage in stages
    ]


def response_overdue(today: date) -> list[Reminder]:
    """Responses past their deadline: to the responder and the raising IRO."""
    stages = list(_open_unanswered_stages().filter(response_deadline__lt=today))
    children = _children_of({s.escalation_id for s in stages})
    reminders = []
    for stage in stages:
        kids = children.get(stage.escalation_id, [])
        key = ("escalations.escalationstage", stage.pk)
        reminders.append(
            _reminder(
                "irp_response_overdue",
                stage.responder_id,
                stage.escalation,
                kids,
                stage.response_deadline,
                f"your response at {stage.definition.name} was due by "
                f"{day(stage.response_deadline)} and is overdue",
                f"your response at {stage.definition.name} was due by "
                f"{day(stage.response_deadline)} and is overdue",
                about=key,
            )
        )
        reminders.append(
            _reminder(
                "irp_response_overdue",
                stage.escalation.raised_by_id,
                stage.escalation,
                kids,
                stage.response_deadline,
                f"{stage.responder}'s response at {stage.definition.name} was due by "
                f"{day(stage.response_deadline)}; you can escalate",
                f"the response at {stage.definition.name} was due by "
                f"{day(stage.response_deadline)}; you can escalate",
                about=key,
            )
        )
    return reminders


def _next_stage_and_responder(order: int):
    stage = StageDefinition.objects.filter(order__gt=order, active=True).order_by("order").first()
    if stage is None:
        return None, None
    responder = responders().filter(responder_level=stage.responder_level).order_by("pk").first()
    return stage, responder


def auto_escalate(today: date) -> list[Reminder]:
    """Off unless the setting is on: move IRPs whose response is N working days overdue."""
    from escalations.services import escalation_escalate

    after = EscalationSettings.load().auto_escalate_after_working_days
    if not after:
        return []
    reminders = []
    for stage in _open_unanswered_stages().filter(response_deadline__lt=today):
        if working_days_between(stage.response_deadline, today) < after:
            continue
        escalation = stage.escalation
        target, responder = _next_stage_and_responder(stage.definition.order)
        if target is None or responder is None:
            continue
        try:
            escalation_escalate(
                escalation=escalation,
                user=escalation.raised_by,
                stage=target,
                responder=responder,
                note=f"Escalated automatically: no response {after} working days after the "
                f"deadline of {day(stage.response_deadline)}",
                on=today,
            )
        except ValidationError:
            logger.warning("IRP %s could not be escalated automatically", escalation.pk)
            continue
        kids = _children_of([escalation.pk]).get(escalation.pk, [])
        text = (
            f"escalated automatically to {target.name} ({responder}) after no response at "
            f"{stage.definition.name}"
        )
        reminders.append(
            _reminder(
                "irp_auto_escalated",
                escalation.raised_by_id,
                escalation,
                kids,
                stage.response_deadline,
                text,
                text,
                about=("escalations.escalationstage", stage.pk),
            )
        )
    return reminders


def register() -> None:
    # Emailed unless the user chooses otherwise: an IRP raised, escalated or due a response.
    registry.add_notification_kinds(
        KINDS,
        email_by_default=(
            "irp_raised",
            "irp_escalated",
            "irp_auto_escalated",
            "irp_response_due",
            "irp_response_overdue",
        ),
    )
    for rule in [
        ReminderRule(
            "irp_response_due",
            "hourly",
            response_due_tomorrow,
            "IRP responses due tomorrow",
            kinds=("irp_response_due",),
        ),
        ReminderRule(
            "irp_response_overdue",
            "hourly",
            response_overdue,
            "IRP responses overdue",
            kinds=("irp_response_overdue",),
        ),
        ReminderRule(
            "irp_auto_escalate", "hourly", auto_escalate, "Automatic escalation (setting)"
        ),
    ]:
        registry.add_reminder_rule(rule)
