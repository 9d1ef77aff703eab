"""How a synthetic IRP moves through the stages of the ladder: when each stage is responded to
or decided, by whom, and how it ends.
"""

from datetime import date

from escalations import rules
from escalations.models import (
    EscalationAction,
    EscalationStage,
    EscalationState,
)
from escalations.synthetic.context import pick
from escalations.synthetic.mixes import DECISION_WORKING_DAYS, ENDINGS, RESPONSE_WORKING_DAYS
from iro.rules import add_working_days


def stage_responder_subquery(order: int):
    from django.db.models import OuterRef, Subquery

    return Subquery(
        EscalationStage.objects.filter(
            escalation=OuterRef("escalation"), definition__order=order
        ).values("responder_id")[:1]
    )


def plan_irp(rng, raised: date, today: date, stages: dict) -> dict:
    """The life of one IRP: its stages, events and end state, never running past `today`."""
    S, A = EscalationState, EscalationAction
    ending = pick(rng, ENDINGS)
    top = max(stages)
    start_order = 2 if rng.random() < 0.08 and top >= 2 else 1
    if isinstance(ending, int):
        end_order = min(max(ending, start_order), top)
    else:
        end_order = min(start_order + rng.choice([0, 0, 1]), top)
    orders = [o for o in sorted(stages) if start_order <= o <= end_order]
    # Skip a stage now and then (the IRO may skip stages).
    if len(orders) > 2 and rng.random() < 0.2:
        orders.pop(1)

    state = S.AWAITING_RESPONSE
    events = [(A.RAISE, raised, S.NEW, state, orders[0])]
    rows = []
    day = raised
    result = {"status": state, "resolved_on": None, "closed_on": None, "cafcass_on": None}
    for index, order in enumerate(orders):
        row = {
            "order": order,
            "started_on": day,
            "responded_on": None,
            "proposes": False,
            "closed_on": None,
        }
        rows.append(row)
        last = index == len(orders) - 1
        answered = add_working_days(day, rng.choice(RESPONSE_WORKING_DAYS))
        if answered > today:
            break
        proposes = last and ending not in ("withdrawn", "cafcass")
        action = A.PROPOSE_RESOLUTION if proposes else A.RESPOND
        to_state = rules.next_state(state, action)
        events.append((action, answered, state, to_state, order))
        state = to_state
        row.update(responded_on=answered, proposes=proposes)
        decided = add_working_days(answered, rng.choice(DECISION_WORKING_DAYS))
        if decided > today:
            break
        if not last:
            to_state = rules.next_state(state, A.ESCALATE)
            events.append((A.ESCALATE, decided, state, to_state, orders[index + 1]))
            state = to_state
            row["closed_on"] = decided
            day = decided
            continue
        end_action = {"withdrawn": A.WITHDRAW, "cafcass": A.REFER_CAFCASS}.get(ending, A.RESOLVE)
        to_state = rules.next_state(state, end_action)
        events.append((end_action, decided, state, to_state, order))
        state = to_state
        row["closed_on"] = decided
        if end_action == A.RESOLVE:
            result.update(resolved_on=decided, closed_on=decided)
        elif end_action == A.WITHDRAW:
            result["closed_on"] = decided
        else:
            result["cafcass_on"] = decided
            settled = add_working_days(decided, rng.randint(10, 40))
            if settled <= today:
                to_state = rules.next_state(state, A.RESOLVE)
                events.append((A.RESOLVE, settled, state, to_state, order))
                state = to_state
                result.update(resolved_on=settled, closed_on=settled)
    result.update(status=state, stages=rows, events=events)
    return result
