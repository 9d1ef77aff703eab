"""Rows for the IRP lists: the working-day arithmetic is pure (escalations.rules), no queries."""

from datetime import date

from django.urls import NoReverseMatch, reverse

from escalations import rules
from escalations.models import EscalationState
from iro.rules import working_days_between


def child_url(child_id: int) -> str:
    try:
        return reverse("children:detail", kwargs={"pk": child_id})
    except NoReverseMatch:
        return ""


def escalation_rows(escalations, today: date) -> list[dict]:
    """One dict per IRP with its open stage, deadlines and working days left or age."""
    rows = []
    for escalation in escalations:
        open_stages = getattr(escalation, "open_stages", None)
        if open_stages is None:
            open_stages = [s for s in escalation.stages.all() if s.closed_on is None]
        stage = open_stages[0] if open_stages else None
        awaiting = escalation.status == EscalationState.AWAITING_RESPONSE and stage is not None
        days_left = rules.working_days_left(stage.response_deadline, today) if awaiting else None
        rows.append(
            {
                "escalation": escalation,
                "children": [
                    {"child": link.child, "url": child_url(link.child_id)}
                    for link in escalation.child_links.all()
                ],
                "stage": stage,
                "responder": stage.responder if stage else None,
                "deadline": stage.response_deadline if awaiting else None,
                "days_left": days_left,
                "overdue": days_left is not None and days_left < 0,
                "days_overdue": -days_left if days_left is not None and days_left < 0 else 0,
                "age": working_days_between(escalation.raised_on, today),
                "process_overdue": escalation.is_open
                and rules.is_overdue(escalation.process_deadline, today),
            }
        )
    return rows


def history_rows(events) -> list[dict]:
    return [
        {
            "event": event,
            "from_label": EscalationState(event.from_state).label,
            "to_label": EscalationState(event.to_state).label,
        }
        for event in events
    ]
