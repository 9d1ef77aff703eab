"""Reminder rules of the Issue Resolution Process (IRP); its events are in escalations.events.

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

from escalations.events import children_of, irp_reminder
from escalations.models import (
    EscalationSettings,
    EscalationStage,
    EscalationState,
    StageDefinition,
)
from escalations.selectors import responders
from escalations.services import escalation_escalate
from iro.notifications.people import day
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
    children = children_of({s.escalation_id for s in stages})
    return [
        irp_reminder(
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
    children = children_of({s.escalation_id for s in stages})
    reminders = []
    for stage in stages:
        kids = children.get(stage.escalation_id, [])
        key = ("escalations.escalationstage", stage.pk)
        reminders.append(
            irp_reminder(
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
            irp_reminder(
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
        kids = children_of([escalation.pk]).get(escalation.pk, [])
        text = (
            f"escalated automatically to {target.name} ({responder}) after no response at "
            f"{stage.definition.name}"
        )
        reminders.append(
            irp_reminder(
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
    registry.add("notification_kinds", KINDS)
    # Emailed unless the user chooses otherwise: an IRP raised, escalated or due a response.
    registry.add(
        "email_default_kinds",
        (
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
        registry.add("reminder_rules", rule)
