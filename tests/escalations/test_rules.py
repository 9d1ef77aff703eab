"""The IRP state machine over its full matrix, and its working-day deadlines."""

from datetime import date

import pytest

from escalations import rules
from escalations.models import EscalationAction, EscalationState

S, A = EscalationState, EscalationAction

ALLOWED = {
    (S.NEW, A.RAISE): S.AWAITING_RESPONSE,
    (S.AWAITING_RESPONSE, A.RESPOND): S.RESPONDED,
    (S.AWAITING_RESPONSE, A.PROPOSE_RESOLUTION): S.RESOLUTION_PROPOSED,
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
    (S.REFERRED_TO_CAFCASS, A.RESOLVE): S.RESOLVED,
    (S.REFERRED_TO_CAFCASS, A.WITHDRAW): S.WITHDRAWN,
}
MATRIX = [(state, action) for state in S for action in A]
REFUSED = [pair for pair in MATRIX if pair not in ALLOWED]


def test_the_matrix_has_every_state_and_action_pair():
    assert len(MATRIX) == len(S) * len(A) == 49
    assert len(ALLOWED) == 16
    assert len(REFUSED) == 33


@pytest.mark.parametrize(("state", "action"), list(ALLOWED), ids=lambda v: str(v))
def test_allowed_transition_reaches_its_state(state, action):
    assert rules.next_state(state, action) == ALLOWED[(state, action)]


@pytest.mark.parametrize(("state", "action"), REFUSED, ids=lambda v: str(v))
def test_refused_transition_raises(state, action):
    with pytest.raises(rules.InvalidTransition) as info:
        rules.next_state(state, action)
    assert (info.value.state, info.value.action) == (state, action)


@pytest.mark.parametrize("state", [S.RESOLVED, S.WITHDRAWN])
def test_terminal_states_allow_nothing(state):
    assert rules.allowed_actions(state) == []
    assert state in rules.TERMINAL_STATES


def test_every_action_belongs_to_exactly_one_actor():
    assert set(A) == rules.RESPONDER_ACTIONS | rules.IRO_ACTIONS
    assert not rules.RESPONDER_ACTIONS & rules.IRO_ACTIONS


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [(None, 1, True), (None, 3, True), (1, 2, True), (1, 4, True), (2, 2, False), (3, 1, False)],
)
def test_raising_starts_anywhere_and_escalating_only_goes_up(current, target, allowed):
    assert rules.can_move_to_stage(current, target) is allowed


@pytest.mark.parametrize(
    ("started", "days", "deadline"),
    [
        # Plain week: Monday + 5 working days = next Monday.
        (date(2025, 3, 3), 5, date(2025, 3, 10)),
        # Friday 19 Dec 2025: Christmas Day and Boxing Day are skipped (22, 23, 24, 29, 30).
        (date(2025, 12, 19), 5, date(2025, 12, 30)),
        # Wednesday 16 Apr 2025: Good Friday 18 Apr and Easter Monday 21 Apr are skipped
        # (17, 22, 23, 24, 25).
        (date(2025, 4, 16), 5, date(2025, 4, 25)),
        # Started on a Saturday: Monday is day 1.
        (date(2025, 3, 8), 5, date(2025, 3, 14)),
    ],
)
def test_stage_response_deadline_in_working_days(started, days, deadline):
    assert rules.stage_response_deadline(started, days) == deadline


@pytest.mark.parametrize(
    ("raised", "deadline"),
    [
        # 19 Dec 2025 + 20 working days: 22-24, 29-31 Dec, 2 Jan (1 Jan off), 5-9, 12-16,
        # 19-21 Jan.
        (date(2025, 12, 19), date(2026, 1, 21)),
        # 16 Apr 2025 + 20: 17, 22-25, 28-30 Apr, 1-2, 6-9 May (5 May off), 12-16, 19 May.
        (date(2025, 4, 16), date(2025, 5, 19)),
        (date(2025, 3, 3), date(2025, 3, 31)),
    ],
)
def test_whole_process_deadline_is_twenty_working_days(raised, deadline):
    assert rules.process_deadline(raised) == deadline


def test_working_days_left_counts_down_and_goes_negative_when_overdue():
    deadline = date(2025, 12, 30)
    assert rules.working_days_left(deadline, date(2025, 12, 19)) == 5
    assert rules.working_days_left(deadline, date(2025, 12, 24)) == 2
    assert rules.working_days_left(deadline, deadline) == 0
    assert rules.working_days_left(deadline, date(2026, 1, 2)) == -2
    assert rules.is_overdue(deadline, date(2025, 12, 31)) is True
    assert rules.is_overdue(deadline, deadline) is False


def test_resolved_within_twenty_working_days_includes_the_deadline_day():
    assert rules.resolved_within(date(2025, 4, 16), date(2025, 5, 19)) is True
    assert rules.resolved_within(date(2025, 4, 16), date(2025, 5, 20)) is False
