"""Notifications of the Issue Resolution Process (IRP) as it happens.

Sent from the services, inside their transaction (emails go out on commit):
- an IRP raised, escalated to a new stage, or referred to Cafcass: to the named responder of the
  stage and to the raising IRO's team manager;
- a responder's reply or proposed resolution: to the raising IRO.

The services import this module and nothing of escalations.reminders, whose hourly rules call the
services (automatic escalation): events and rules import one way.
"""

from __future__ import annotations

from django.urls import reverse

from escalations.models import Escalation, EscalationChild, EscalationStage
from iro.notifications.people import child_label, day, team_manager_ids_for
from iro.notifications.services import notifications_create
from iro.registry import Reminder


def children_of(escalation_ids) -> dict[int, list]:
    found: dict[int, list] = {}
    for link in EscalationChild.objects.filter(escalation_id__in=escalation_ids).select_related(
        "child"
    ):
        found.setdefault(link.escalation_id, []).append(link.child)
    return found


def irp_reminder(kind, recipient_id, escalation, children, due, named, anonymous, about=None):
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
    children = children_of([escalation.pk]).get(escalation.pk, [])
    managers = team_manager_ids_for([escalation.raised_by_id])[escalation.raised_by_id]
    deadline = f"response due by {day(stage.response_deadline)}"
    reminders = [
        irp_reminder(
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
            reminders.append(irp_reminder(kind, manager_id, escalation, children, None, text, text))
    notifications_create(reminders=reminders)


def irp_raised(escalation: Escalation) -> None:
    stage = escalation.stages.filter(closed_on__isnull=True).select_related("definition").get()
    _stage_event("irp_raised", escalation, stage, "raised at")


def irp_escalated(escalation: Escalation) -> None:
    stage = escalation.stages.filter(closed_on__isnull=True).select_related("definition").get()
    _stage_event("irp_escalated", escalation, stage, "escalated to")


def irp_referred_cafcass(escalation: Escalation) -> None:
    children = children_of([escalation.pk]).get(escalation.pk, [])
    stage = escalation.stages.select_related("definition").order_by("-started_on", "-pk").first()
    recipients = set(team_manager_ids_for([escalation.raised_by_id])[escalation.raised_by_id])
    if stage is not None:
        recipients.add(stage.responder_id)
    text = f"referred to Cafcass on {day(escalation.cafcass_referred_on)}"
    notifications_create(
        reminders=[
            irp_reminder("irp_referred_cafcass", uid, escalation, children, None, text, text)
            for uid in sorted(recipients)
        ]
    )


def irp_replied(escalation: Escalation, stage: EscalationStage) -> None:
    children = children_of([escalation.pk]).get(escalation.pk, [])
    if stage.proposes_resolution:
        text = f"{stage.responder} replied that the issue is resolved; accept it or escalate"
    else:
        text = f"{stage.responder} replied on {day(stage.responded_on)}"
    notifications_create(
        reminders=[
            irp_reminder(
                "irp_replied", escalation.raised_by_id, escalation, children, None, text, text
            )
        ]
    )
