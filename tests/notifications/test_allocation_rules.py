"""Allocation events and the 72-hour unallocated rule."""

from datetime import date, datetime, timedelta

from iro.models import AllocationRequest, AllocationRole
from iro.notifications.runner import run_rules
from iro.services.allocations import allocation_allocate
from tests.iro.factories import ChildFactory
from tests.notifications.helpers import LONDON, kinds_for, titles_for
from tests.notifications.helpers import on as frozen


def test_allocation_tells_the_new_iro_and_reallocation_the_old_one(
    child, iro_allocated, iro_other, team_manager
):
    allocation_allocate(
        child=child,
        iro=iro_other,
        role=AllocationRole.CLA,
        start=date(2026, 4, 1),
        reason="Caseload balance",
        by=team_manager,
    )
    assert titles_for(iro_other) == [
        "You are the CLA reviewing officer for Jamie Smith (C900001) from 1 Apr 2026"
    ]
    # The previous IRO no longer sees the child, so the message does not name them.
    assert titles_for(iro_allocated) == [
        "A child you were CLA reviewing officer for is reallocated to another IRO from 1 Apr 2026"
    ]


def test_child_unallocated_after_72_hours_goes_to_the_team_managers(team_manager, iro_other):
    child = ChildFactory(first_name="Kit", last_name="Kane", la_child_id="C900003")
    notified = datetime(2026, 4, 1, 10, 0, tzinfo=LONDON)
    AllocationRequest.objects.create(child=child, role=AllocationRole.CLA, notified_at=notified)
    with frozen(date(2026, 4, 4), hour=9):  # 71 hours
        run_rules("hourly")
    assert kinds_for(team_manager) == []
    with frozen(date(2026, 4, 4), hour=11):  # 73 hours
        run_rules("hourly")
    assert kinds_for(team_manager) == ["unallocated_overdue"]
    assert titles_for(team_manager)[0].startswith("Kit Kane (C900003) has waited more than 72")
    assert kinds_for(iro_other) == []
    with frozen(date(2026, 4, 4) + timedelta(days=1), hour=11):
        run_rules("hourly")
    assert kinds_for(team_manager) == ["unallocated_overdue"]
