"""The Issue Resolution Process as pure rules: its state machine and its working-day deadlines.

IRO Handbook 6.2 (as quoted by local procedures): the whole process within 20 working days; the
IRO may skip stages; referral to Cafcass is possible at any stage. Each stage of the ladder has
its own response deadline (by default 5 working days). Working days follow iro.rules: the day
after the trigger is working day 1; weekends and England bank holidays are excluded.
"""

from datetime import date

from escalations.models import EscalationAction as A
from escalations.models import EscalationState as S
from iro.rules import add_working_days, working_days_between

DEFAULT_STAGE_WORKING_DAYS = 5
DEFAULT_PROCESS_WORKING_DAYS = 20

# (state, action) -> next state. Anything not listed is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.NEW, A.RAISE): S.AWAITING_RESPONSE,
    (S.AWAITING_RESPONSE, A.RESPOND): S.RESPONDED,
    (S.AWAITING_RESPONSE, A.PROPOSE_RESOLUTION): S.RESOLUTION_PROPOSED,
    # No reply in time (or none worth waiting for): the IRO moves up the ladder.
    (S.AWAITING_RESPONSE, A.ESCALATE): S.AWAITING_RESPONSE,
    (S.AWAITING_RESPONSE, A.REFER_CAFCASS): S.REFERRED_TO_CAFCASS,
    (S.AWAITING_RESPONSE, A.WITHDRAW): S.WITHDRAWN,
    (S.RESPONDED, A.ESCALATE): S.AWAITING_RESPONSE,
    (S.RESPONDED, A.RESOLVE): S.RESOLVED,
    (S.RESPONDED, A.REFER_CAFCASS): S.REFERRED_TO_CAFCASS,
    (S.RESPONDED, A.WITHDRAW): S.WITHDRAWN,
    (S.RESOLUTION_PROPOSED, A.ESCALATE): S.AWAITING_RESPONSE,
    (S.RESOLUTION_PROPOSED, A.RESOLVE): S.RESOLVED,
    (S.RESOLUTION_PROPOSED, A.REFER_CAFCASS): S.REFERRED_TO_CAFCASS,
    (S.RESOLUTION_PROPOSED, A.WITHDRAW): S.WITHDRAWN,
    # Once with Cafcass the ladder is left behind; the IRP ends resolved or withdrawn.
    (S.REFERRED_TO_CAFCASS, A.RESOLVE): S.RESOLVED,
    (S.REFERRED_TO_CAFCASS, A.WITHDRAW): S.WITHDRAWN,
}

TERMINAL_STATES = frozenset({S.RESOLVED, S.WITHDRAWN})

# Who may take each action: the named responder of the open stage, or the raising IRO.
RESPONDER_ACTIONS = frozenset({A.RESPOND, A.PROPOSE_RESOLUTION})
IRO_ACTIONS = frozenset({A.RAISE, A.ESCALATE, A.RESOLVE, A.REFER_CAFCASS, A.WITHDRAW})


class InvalidTransition(ValueError):
    """The action is not allowed from the state."""

    def __init__(self, state: str, action: str):
        self.state = state
        self.action = action
        super().__init__(f"Cannot {S(state).label.lower()} -> {A(action).value}")


def next_state(state: str, action: str) -> str:
    """The state after `action` from `state`; raises InvalidTransition when not allowed."""
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise InvalidTransition(state, action) from None


def allowed_actions(state: str) -> list[str]:
    return [action for (from_state, action) in TRANSITIONS if from_state == state]


def can_move_to_stage(current_order: int | None, target_order: int) -> bool:
    """Raising may start at any stage; escalating must go up (skipping stages is allowed)."""
    return current_order is None or target_order > current_order


def stage_response_deadline(
    started_on: date, working_days: int = DEFAULT_STAGE_WORKING_DAYS
) -> date:
    """The responder's deadline: `working_days` working days after the stage started."""
    return add_working_days(started_on, working_days)


def process_deadline(raised_on: date, working_days: int = DEFAULT_PROCESS_WORKING_DAYS) -> date:
    """The whole process should be finished by this date: 20 working days from raising."""
    return add_working_days(raised_on, working_days)


def working_days_left(deadline: date, today: date) -> int:
    """Working days from `today` to `deadline`; 0 on the day itself, negative once overdue."""
    return working_days_between(today, deadline)


def is_overdue(deadline: date, today: date) -> bool:
    return today > deadline


def resolved_within(
    raised_on: date, resolved_on: date, working_days: int = DEFAULT_PROCESS_WORKING_DAYS
) -> bool:
    """Resolved in timescale: on or before the whole-process deadline."""
    return working_days_between(raised_on, resolved_on) <= working_days
