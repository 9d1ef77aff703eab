"""Bulk reallocation from an IRO's caseload (team managers), and booked meetings following the
child to the new IRO on any reallocation.

Time is frozen on Monday 13 April 2026; the children are looked after (open episodes from 2024).
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from iro.models import AccessLog, Allocation, AllocationRole, Meeting, MeetingChange
from iro.roles import Role
from iro.services.allocations import allocation_allocate, allocations_reallocate
from tests.iro.factories import (
    AllocationFactory,
    CareEpisodeFactory,
    ChildFactory,
    SiblingGroupFactory,
    make_user,
)
from tests.reviews.factories import at, booked_review

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 4, 13)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2026, 4, 13, 9, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def caseload(iro_allocated, team):
    """Alice's caseload: Ann and Ben Cole (siblings), Cat Dunn; Bob and Cy are other IROs."""
    group = SiblingGroupFactory()
    children = {}
    for first, last, la_id, sibling in [
        ("Ann", "Cole", "C700001", group),
        ("Ben", "Cole", "C700002", group),
        ("Cat", "Dunn", "C700003", None),
    ]:
        child = ChildFactory(
            first_name=first, last_name=last, la_child_id=la_id, sibling_group=sibling
        )
        CareEpisodeFactory(child=child)
        AllocationFactory(child=child, iro=iro_allocated)
        children[first] = child
    return children


@pytest.fixture
def bob(team):
    return make_user(Role.IRO, username="bob2", first_name="Bob", last_name="Baker", team=team)


@pytest.fixture
def cy(team):
    return make_user(Role.IRO, username="cy", first_name="Cy", last_name="Cross", team=team)


def open_iro(child):
    return Allocation.objects.get(child=child, end__isnull=True).iro


def test_a_reallocation_moves_the_childs_future_booked_review_to_the_new_iro(
    caseload, iro_allocated, bob, team_manager
):
    ann = caseload["Ann"]
    future = booked_review(chair=iro_allocated, child=ann, starts_at=at(TODAY + timedelta(days=7)))
    allocation_allocate(
        child=ann, iro=bob, role=AllocationRole.CLA, start=TODAY, reason="Balance", by=team_manager
    )
    future.meeting.refresh_from_db()
    assert future.meeting.chair == bob
    change = MeetingChange.objects.get(meeting=future.meeting)
    assert "reallocated from Alice Adeyemi to Bob Baker" in change.reason
    # Both diaries follow: the meeting is in Bob's and no longer in Alice's.
    assert list(Meeting.objects.filter(chair=bob).values_list("pk", flat=True)) == [
        future.meeting.pk
    ]
    assert not Meeting.objects.filter(chair=iro_allocated).exists()


def test_a_meeting_the_manager_leaves_unticked_keeps_its_chair(
    caseload, iro_allocated, bob, team_manager
):
    ann = caseload["Ann"]
    future = booked_review(chair=iro_allocated, child=ann, starts_at=at(TODAY + timedelta(days=7)))
    allocations_reallocate(
        from_iro=iro_allocated,
        moves=[(ann, bob)],
        reason="Balance",
        by=team_manager,
        meeting_ids=set(),
    )
    future.meeting.refresh_from_db()
    assert future.meeting.chair == iro_allocated
    assert open_iro(ann) == bob


def test_a_clash_in_the_new_iros_diary_stops_the_whole_change(
    caseload, iro_allocated, bob, team_manager
):
    ann, cat = caseload["Ann"], caseload["Cat"]
    when = at(TODAY + timedelta(days=7))
    booked_review(chair=iro_allocated, child=ann, starts_at=when)
    booked_review(chair=bob, starts_at=when)  # Bob is busy then
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Ann Cole \\(C700001\\)"):
        allocations_reallocate(
            from_iro=iro_allocated,
            moves=[(cat, bob), (ann, bob)],
            reason="Balance",
            by=team_manager,
        )
    assert open_iro(cat) == iro_allocated  # nothing half-written
    assert open_iro(ann) == iro_allocated


def test_the_manager_previews_then_applies_one_change_with_siblings_together(
    caseload, iro_allocated, bob, cy, team_manager, login
):
    client = login(team_manager)
    url = reverse("caseloads:detail", args=[iro_allocated.pk])
    page = client.get(url).content.decode()
    for name, la_id in [("Ann Cole", "C700001"), ("Ben Cole", "C700002"), ("Cat Dunn", "C700003")]:
        assert name in page and la_id in page
    ann, ben, cat = caseload["Ann"], caseload["Ben"], caseload["Cat"]
    data = {
        "children": [str(ann.pk), str(cat.pk)],  # Ben is not ticked: he goes with Ann
        "to_iros": [str(bob.pk), str(cy.pk)],
        "siblings_together": "on",
        "reason": "Caseload balance",
        "action": "preview",
    }
    preview = client.post(url, data)
    assert preview.status_code == 200
    plan = {m.child.pk: m.to_iro.pk for m in preview.context["plan"]}
    assert set(plan) == {ann.pk, ben.pk, cat.pk}
    assert plan[ann.pk] == plan[ben.pk]  # siblings together
    assert plan[cat.pk] != plan[ann.pk]  # shared out: the pair to one, Cat to the other
    changes = {c.iro.pk: (c.children_before, c.children_after) for c in preview.context["changes"]}
    assert changes[iro_allocated.pk] == (3, 0)
    assert changes[plan[ann.pk]] == (0, 2)
    assert changes[plan[cat.pk]] == (0, 1)
    assert Allocation.objects.filter(iro=iro_allocated, end__isnull=True).count() == 3
    body = preview.content.decode()
    confirm = {**data, "action": "confirm"}
    confirm.update({f"move_{pk}": str(iro_pk) for pk, iro_pk in plan.items()})
    assert "Sibling, moves too" in body
    done = client.post(url, confirm)
    assert done.status_code == 302
    assert {c.pk: open_iro(c).pk for c in (ann, ben, cat)} == plan
    assert AccessLog.objects.filter(action="reallocated", user=team_manager).count() == 3
    assert Allocation.objects.filter(iro=iro_allocated, end=TODAY).count() == 3


def test_siblings_can_be_split_when_the_manager_says_so(
    caseload, iro_allocated, bob, team_manager, login
):
    url = reverse("caseloads:detail", args=[iro_allocated.pk])
    data = {
        "children": [str(caseload["Ann"].pk)],
        "to_iros": [str(bob.pk)],
        "reason": "Caseload balance",
        "action": "preview",
    }
    preview = login(team_manager).post(url, data)
    assert [m.child.pk for m in preview.context["plan"]] == [caseload["Ann"].pk]


def test_a_reason_is_required_and_nothing_moves(caseload, iro_allocated, bob, team_manager, login):
    url = reverse("caseloads:detail", args=[iro_allocated.pk])
    response = login(team_manager).post(
        url,
        {"children": [str(caseload["Cat"].pk)], "to_iros": [str(bob.pk)], "action": "confirm"},
    )
    assert response.status_code == 400
    assert "Enter the reason for the change of IRO." in response.content.decode()
    assert open_iro(caseload["Cat"]) == iro_allocated


@pytest.mark.parametrize("persona", ["iro_allocated", "iro_other", "performance_officer"])
def test_only_team_managers_can_reallocate_from_a_caseload(
    persona, request, caseload, iro_allocated, bob, login
):
    user = request.getfixturevalue(persona)
    url = reverse("caseloads:detail", args=[iro_allocated.pk])
    response = login(user).post(
        url,
        {
            "children": [str(caseload["Cat"].pk)],
            "to_iros": [str(bob.pk)],
            "reason": "x",
            "action": "confirm",
            f"move_{caseload['Cat'].pk}": str(bob.pk),
        },
    )
    assert response.status_code == 403
    assert open_iro(caseload["Cat"]) == iro_allocated


def test_both_calendar_feeds_follow_a_reallocated_review(
    caseload, iro_allocated, bob, team_manager, client
):
    from reviews.services.calendar import calendar_feed_create

    ann = caseload["Ann"]
    review = booked_review(chair=iro_allocated, child=ann, starts_at=at(TODAY + timedelta(days=7)))
    feeds = {u.pk: calendar_feed_create(user=u) for u in (iro_allocated, bob)}

    def events(user) -> int:
        feed = client.get(reverse("calendar_feed", args=[feeds[user.pk].token]))
        assert feed.status_code == 200
        return feed.content.decode().count("BEGIN:VEVENT")

    assert (events(iro_allocated), events(bob)) == (1, 0)
    allocations_reallocate(
        from_iro=iro_allocated, moves=[(ann, bob)], reason="Balance", by=team_manager
    )
    assert (events(iro_allocated), events(bob)) == (0, 1)
    review.meeting.refresh_from_db()
    assert review.meeting.chair == bob


def test_a_cp_reallocation_moves_the_booked_conference_and_not_the_review(
    caseload, iro_allocated, bob, team_manager
):
    from tests.protection.factories import book, icpc_due_for

    cat = caseload["Cat"]
    AllocationFactory(child=cat, iro=iro_allocated, role=AllocationRole.CP)
    review = booked_review(chair=iro_allocated, child=cat, starts_at=at(TODAY + timedelta(days=8)))
    icpc = icpc_due_for(cat, discussion_on=date(2026, 4, 10))
    conference_meeting = book(icpc, iro_allocated, TODAY + timedelta(days=9))
    allocation_allocate(
        child=cat, iro=bob, role=AllocationRole.CP, start=TODAY, reason="Balance", by=team_manager
    )
    conference_meeting.refresh_from_db()
    review.meeting.refresh_from_db()
    assert conference_meeting.chair == bob
    assert review.meeting.chair == iro_allocated  # the CLA IRO has not changed
