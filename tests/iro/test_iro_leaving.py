"""IRO-01 and IRO-02 count no child allocated to an IRO who had left: no allocation starts after an
IRO's last day (service, API, generator), and an IRO leaving hands over or ends what they hold."""

from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import F, OuterRef, Subquery

from iro.models import Allocation, AllocationRequest, StaffRecord, User
from iro.notifications.models import Notification
from iro.roles import Role
from iro.services.allocations import (
    LEFT_REASON,
    allocation_allocate,
    iro_last_day,
    staff_leave,
)
from tests.iro.factories import AllocationFactory, CareEpisodeFactory, ChildFactory, make_user

TODAY = date(2026, 3, 18)


def _employ(user, start=date(2020, 1, 6), end=None):
    return StaffRecord.objects.create(
        user=user, valid_from=start, valid_to=end, fte=user.fte, contract="permanent"
    )


@pytest.fixture
def leaver(db, team):
    user = make_user(Role.IRO, username="lena", first_name="Lena", last_name="Lewis", team=team)
    _employ(user, end=date(2026, 2, 27))
    return user


@time_machine.travel(TODAY, tick=False)
def test_iro_01_an_allocation_cannot_start_after_the_iros_last_day(db, leaver):
    child = ChildFactory()
    assert iro_last_day(leaver) == date(2026, 2, 27)
    with pytest.raises(ValidationError) as exc:
        allocation_allocate(child=child, iro=leaver, role="cla", start=date(2026, 3, 2))
    assert "left on 27 February 2026" in exc.value.message_dict["iro"][0]
    assert not Allocation.objects.filter(child=child).exists()
    # On the last day itself the IRO is still in post.
    allocation_allocate(child=child, iro=leaver, role="cla", start=date(2026, 2, 27))


@time_machine.travel(TODAY, tick=False)
def test_iro_01_the_api_refuses_an_allocation_after_the_last_day(db, login, team_manager, leaver):
    child = ChildFactory()
    response = login(team_manager).post(
        "/api/allocations/allocate/",
        {"child": child.pk, "iro": leaver.pk, "role": "cla"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "left on" in response.json()["iro"][0]
    assert Allocation.objects.filter(child=child).count() == 0


@time_machine.travel(TODAY, tick=False)
def test_iro_01_leaving_ends_open_allocations_and_tells_the_manager(
    db, team, team_manager, iro_allocated
):
    _employ(iro_allocated)
    children = [ChildFactory() for _ in range(2)]
    for child in children:
        CareEpisodeFactory(child=child, start=date(2025, 1, 6))
        AllocationFactory(child=child, iro=iro_allocated, start=date(2025, 1, 7))
    moved = staff_leave(user=iro_allocated, last_day=date(2026, 3, 13), reason="Retired")
    assert len(moved) == 2
    ended = Allocation.objects.filter(iro=iro_allocated)
    assert set(ended.values_list("end", "end_reason")) == {(date(2026, 3, 13), LEFT_REASON)}
    assert not Allocation.objects.filter(iro=iro_allocated, end__isnull=True).exists()
    # Each child is back on the list of children waiting for an IRO.
    waiting = AllocationRequest.objects.filter(fulfilled_at__isnull=True)
    assert sorted(waiting.values_list("child_id", flat=True)) == sorted(c.pk for c in children)
    record = StaffRecord.objects.get(user=iro_allocated)
    assert (record.valid_to, record.left_reason) == (date(2026, 3, 13), "Retired")
    (note,) = Notification.objects.filter(kind="iro_left")
    assert note.recipient_id == team_manager.pk and "2 children need a new IRO" in note.title


@time_machine.travel(TODAY, tick=False)
def test_iro_01_leaving_hands_over_to_a_named_iro(db, team_manager, iro_allocated, iro_other):
    _employ(iro_allocated)
    _employ(iro_other)
    child = ChildFactory()
    AllocationFactory(child=child, iro=iro_allocated, start=date(2025, 1, 7))
    staff_leave(user=iro_allocated, last_day=date(2026, 3, 13), handover_to=iro_other)
    history = list(
        Allocation.objects.filter(child=child).order_by("start").values_list("iro", "start", "end")
    )
    assert history == [
        (iro_allocated.pk, date(2025, 1, 7), date(2026, 3, 13)),
        (iro_other.pk, date(2026, 3, 13), None),
    ]
    assert not AllocationRequest.objects.filter(fulfilled_at__isnull=True).exists()
    (note,) = Notification.objects.filter(kind="iro_left")
    assert "1 allocation handed over to Bob Bennett" in note.title


@time_machine.travel(TODAY, tick=False)
def test_leaving_refuses_a_future_day_a_leaver_successor_and_writes_nothing(
    db, iro_allocated, leaver
):
    _employ(iro_allocated)
    AllocationFactory(child=ChildFactory(), iro=iro_allocated, start=date(2025, 1, 7))
    with pytest.raises(ValidationError) as exc:
        staff_leave(user=iro_allocated, last_day=date(2026, 3, 31))
    assert "last_day" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        staff_leave(user=iro_allocated, last_day=date(2026, 3, 13), handover_to=leaver)
    assert "handover_to" in exc.value.message_dict
    assert StaffRecord.objects.get(user=iro_allocated).valid_to is None
    assert Allocation.objects.get(iro=iro_allocated).end is None


def test_iro_01_the_generator_allocates_no_child_after_the_iros_last_day(db):
    """The 21 children allocated after their IRO's last day at `la` came from choosing IROs in
    post on the 15th of the month and from siblings sharing an IRO who had since left."""
    call_command("generate_data", scale="small", seed=7, today=TODAY, stdout=StringIO())
    last_day = (
        StaffRecord.objects.filter(user=OuterRef("iro"))
        .order_by("-valid_to")
        .values("valid_to")[:1]
    )
    leavers = User.objects.filter(staff_records__isnull=False).exclude(
        staff_records__valid_to__isnull=True
    )
    allocations = Allocation.objects.filter(iro__in=leavers).annotate(last=Subquery(last_day))
    assert allocations.exists()  # the check has leavers' allocations to look at
    assert not allocations.filter(start__gt=F("last")).exists()
    # None stays open, or ends later than the day after the last day (the successor's start).
    assert not allocations.filter(end__isnull=True).exists()
    assert not allocations.filter(end__gt=F("last") + timedelta(days=1)).exists()
