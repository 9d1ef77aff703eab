"""Rows for the IRP lists: the working-day arithmetic is pure (escalations.rules), no queries."""

from datetime import date

from escalations import rules
from escalations.models import EscalationState, PlanContext
from iro.access import children_visible_to, named_on_shared_record
from iro.navigation import child_url
from iro.rules import working_days_between

RESTRICTED_LABEL = "Restricted record"
OUTSIDE_LABEL = "Record outside your access"


def _visible_child_ids(user, escalations) -> set[int]:
    """Of the children in these IRPs, those whose record `user` may open (one query)."""
    ids = {link.child_id for e in escalations for link in e.child_links.all()}
    if user is None or not ids:
        return set()
    return set(children_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def hidden_label(child) -> str:
    return RESTRICTED_LABEL if child.restricted else OUTSIDE_LABEL


def _child_entry(child, visible: set[int], escalation) -> dict:
    """A child's name shows as iro.access.named_on_shared_record decides: to those who may open
    the child's record, and for the IRP's other children while the IRP is in its window; a link
    only to those who may open the record."""
    if child.pk in visible:
        return {"child": child, "name": child.full_name, "url": child_url(child.pk)}
    if named_on_shared_record(child, visible_ids=visible, closed_on=escalation.closed_on):
        return {"child": child, "name": child.full_name, "url": ""}
    return {"child": child, "name": hidden_label(child), "url": ""}


def escalation_rows(escalations, today: date, user=None) -> list[dict]:
    """One dict per IRP with its open stage, deadlines and working days left or age."""
    escalations = list(escalations)
    visible = _visible_child_ids(user, escalations)
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
                    {
                        **_child_entry(link.child, visible, escalation),
                        "plan_label": PlanContext(link.plan_context).label,
                    }
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
