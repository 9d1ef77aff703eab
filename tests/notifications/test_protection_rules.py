"""Child protection reminders with frozen time, both sides of each threshold (Easter 2026 in
the windows: Good Friday 3 April, Easter Monday 6 April)."""

from datetime import date

import pytest

from iro.models import AllocationRole
from protection.models import ConferenceKind
from protection.rules import icpc_due
from tests.iro.factories import AllocationFactory, ChildFactory, MeetingFactory
from tests.notifications.helpers import kinds_for, run_on, titles_for
from tests.protection.factories import (
    ConferenceFactory,
    ProtectionPlanFactory,
    StrategyDiscussionFactory,
)
from tests.reviews.factories import at

DISCUSSION = date(2026, 3, 30)  # ICPC due 22 April, to be booked by 8 April


@pytest.fixture
def cp_child(iro_allocated):
    child = ChildFactory(first_name="Robin", last_name="Reed", la_child_id="C900002")
    AllocationFactory(child=child, iro=iro_allocated, role=AllocationRole.CP)
    return child


@pytest.fixture
def icpc(cp_child):
    discussion = StrategyDiscussionFactory(child=cp_child, held_on=DISCUSSION)
    return ConferenceFactory(
        child=cp_child, strategy_discussion=discussion, due=icpc_due(DISCUSSION)
    )


def test_icpc_not_booked_5_working_days_after_the_strategy_discussion(
    icpc, team_manager, iro_allocated
):
    assert icpc.due == date(2026, 4, 22)
    run_on(date(2026, 4, 7))  # 4 working days after (Good Friday and Easter Monday skipped)
    assert kinds_for(team_manager, "icpc") == []
    run_on(date(2026, 4, 8))  # the 5th working day
    assert kinds_for(team_manager, "icpc") == ["icpc_not_booked"]
    assert titles_for(team_manager) == [
        "ICPC of Robin Reed (C900002) is not booked 5 working days after the strategy "
        "discussion of 30 Mar 2026; it is due by 22 Apr 2026"
    ]
    # The CP chair is the IRO for the booking reminders: warned from 30 March, deadline 8 April.
    assert kinds_for(iro_allocated) == ["conference_booking_deadline", "conference_booking_soon"]


def test_conference_booking_warning_window_and_missed(icpc, team_manager, iro_allocated):
    run_on(date(2026, 3, 27))  # 6 working days before the 8 April deadline
    assert kinds_for(iro_allocated) == []
    run_on(date(2026, 3, 30))
    assert kinds_for(iro_allocated) == ["conference_booking_soon"]
    run_on(date(2026, 4, 9))
    assert "conference_booking_missed" in kinds_for(team_manager)


def test_a_booked_icpc_is_not_chased_but_a_late_booking_is_reported(
    icpc, team_manager, iro_allocated
):
    meeting = MeetingFactory(
        kind="cp_conference", chair=iro_allocated, starts_at=at(date(2026, 4, 23))
    )
    icpc.meeting = meeting
    icpc.status = "booked"
    icpc.save()
    run_on(date(2026, 4, 9))
    assert kinds_for(team_manager) == ["conference_booked_late"]
    assert kinds_for(iro_allocated) == ["conference_booked_late"]


def test_cp_plan_reaching_15_months(cp_child, team_manager, iro_allocated):
    ProtectionPlanFactory(child=cp_child, start=date(2025, 1, 15), chair=iro_allocated)
    run_on(date(2026, 4, 14))
    assert kinds_for(team_manager) == []
    run_on(date(2026, 4, 15))
    assert kinds_for(team_manager) == ["cp_plan_15_months"]
    assert titles_for(team_manager) == [
        "The child protection plan of Robin Reed (C900002) started 15 Jan 2025 reached 15 "
        "months on 15 Apr 2026: add it to the panel list"
    ]
    run_on(date(2026, 4, 16))
    assert kinds_for(team_manager) == ["cp_plan_15_months"]


def test_an_ended_plan_is_not_listed(cp_child, team_manager, iro_allocated):
    ProtectionPlanFactory(
        child=cp_child, start=date(2025, 1, 15), chair=iro_allocated, end=date(2026, 4, 1)
    )
    run_on(date(2026, 4, 15))
    assert kinds_for(team_manager) == []


def test_unallocated_conference_goes_to_every_team_manager(team_manager):
    child = ChildFactory()
    discussion = StrategyDiscussionFactory(child=child, held_on=DISCUSSION)
    ConferenceFactory(
        child=child,
        kind=ConferenceKind.ICPC,
        strategy_discussion=discussion,
        due=icpc_due(DISCUSSION),
    )
    run_on(date(2026, 4, 9))
    assert kinds_for(team_manager) == ["conference_booking_missed", "icpc_not_booked"]
