"""Who may see which child: the one place that decides (iro.access)."""

import pytest
from django.http import Http404

from iro.access import children_visible_to, get_visible_child_or_404
from iro.audit import log_child_access
from iro.models import AccessLog
from tests.iro.factories import AllocationFactory, ChildFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def visible_ids(user):
    return set(children_visible_to(user).values_list("la_child_id", flat=True))


def test_iro_sees_allocated_children_only(iro_allocated, iro_other, child):
    ChildFactory(la_child_id="C-UNALLOCATED")
    assert visible_ids(iro_allocated) == {"C900001"}
    assert visible_ids(iro_other) == set()


def test_iro_sees_children_in_meetings_they_chair(iro_other, child):
    MeetingFactory(chair=iro_other, children=[child])
    assert visible_ids(iro_other) == {"C900001"}


def test_restricted_child_visible_only_to_allocated_iro_and_managers(
    iro_allocated, iro_other, team_manager, performance_officer, child
):
    child.restricted = True
    child.save()
    MeetingFactory(chair=iro_other, children=[child])
    assert visible_ids(iro_allocated) == {"C900001"}
    assert visible_ids(team_manager) == {"C900001"}
    assert visible_ids(iro_other) == set()
    assert visible_ids(performance_officer) == set()


def test_performance_officer_sees_every_unrestricted_child(performance_officer, child):
    ChildFactory(la_child_id="C-OTHER")
    assert visible_ids(performance_officer) == {"C900001", "C-OTHER"}


@pytest.mark.parametrize("persona", ["board_member", "administrator", "head_of_service"])
def test_roles_without_a_caseload_see_no_children(personas, child, persona):
    assert visible_ids(personas[persona]) == set()


def test_outside_reach_is_404(iro_other, child):
    with pytest.raises(Http404):
        get_visible_child_or_404(iro_other, pk=child.pk)


def test_ended_allocation_no_longer_gives_access(iro_allocated, child):
    from datetime import date

    allocation = child.allocations.get()
    allocation.end = date(2025, 1, 1)
    allocation.save()
    AllocationFactory(child=child, start=date(2025, 1, 1))
    assert visible_ids(iro_allocated) == set()


def test_access_log_records_who_viewed_which_child(iro_allocated, child):
    log_child_access(user=iro_allocated, child=child, path=f"/children/{child.pk}/")
    entry = AccessLog.objects.get()
    assert (entry.user, entry.child, entry.action) == (iro_allocated, child, "view")


def test_chairing_a_meeting_over_a_year_ago_no_longer_gives_access(iro_other, child):
    from datetime import timedelta

    from django.utils import timezone

    long_ago = timezone.now() - timedelta(days=400)
    MeetingFactory(chair=iro_other, children=[child], starts_at=long_ago)
    assert visible_ids(iro_other) == set()
