"""Allocation and reallocation, the suggestion order, and caseload figures worked by hand."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from iro.models import Allocation, AllocationRequest, Child
from iro.registry import registry
from iro.roles import Role
from iro.selectors_caseload import (
    caseload_per_fte_on,
    caseload_rows,
    caseloads_by_month,
    suggest_iro,
)
from iro.services.allocations import allocation_allocate
from tests.iro.factories import (
    AllocationFactory,
    CareEpisodeFactory,
    ChildFactory,
    SiblingGroupFactory,
    make_user,
)

TODAY = date(2026, 3, 18)


def test_allocating_fulfils_the_open_request(db, iro_allocated, team_manager):
    child = ChildFactory()
    request = AllocationRequest.objects.create(child=child, role="cla", notified_at=timezone.now())
    allocation = allocation_allocate(child=child, iro=iro_allocated, role="cla", by=team_manager)
    request.refresh_from_db()
    assert request.allocation == allocation and request.fulfilled_at is not None


def test_reallocation_closes_the_old_allocation_and_keeps_it(db, iro_allocated, iro_other, child):
    with pytest.raises(ValidationError) as exc:
        allocation_allocate(child=child, iro=iro_other, role="cla", start=date(2025, 1, 6))
    assert "reason" in exc.value.message_dict
    allocation_allocate(
        child=child, iro=iro_other, role="cla", start=date(2025, 1, 6), reason="Caseload balance"
    )
    history = list(
        Allocation.objects.filter(child=child)
        .order_by("start")
        .values_list("iro__username", "end", "end_reason")
    )
    assert history == [("alice", date(2025, 1, 6), "Caseload balance"), ("bob", None, "")]


def test_the_same_iro_cannot_be_allocated_twice(db, iro_allocated, child):
    with pytest.raises(ValidationError):
        allocation_allocate(child=child, iro=iro_allocated, role="cla", reason="again")


def test_only_an_iro_can_be_allocated(db, team_manager):
    with pytest.raises(ValidationError) as exc:
        allocation_allocate(child=ChildFactory(), iro=team_manager, role="cla")
    assert "iro" in exc.value.message_dict


def _looked_after(child, start=date(2024, 1, 10)):
    CareEpisodeFactory(child=child, start=start)
    return child


def test_suggestion_first_is_a_siblings_iro(db, team, iro_allocated, iro_other):
    group = SiblingGroupFactory()
    sibling = ChildFactory(sibling_group=group)
    AllocationFactory(child=sibling, iro=iro_other)
    child = ChildFactory(sibling_group=group)
    AllocationFactory(child=child, iro=iro_allocated, role="cp", start=date(2023, 1, 1))
    suggestion = suggest_iro(child=child, role="cla", on=TODAY, team=team)
    assert suggestion.iro == iro_other and "sibling" in suggestion.reason


def test_suggestion_second_is_the_childs_cp_chair(db, team, iro_allocated, iro_other):
    child = ChildFactory()
    AllocationFactory(
        child=child, iro=iro_other, role="cp", start=date(2022, 1, 1), end=date(2023, 1, 1)
    )
    AllocationFactory(
        child=child, iro=iro_allocated, role="cp", start=date(2023, 1, 1), end=date(2024, 1, 1)
    )
    suggestion = suggest_iro(child=child, role="cla", on=TODAY, team=team)
    assert suggestion.iro == iro_allocated and "protection chair" in suggestion.reason


def test_suggestion_last_is_the_lowest_caseload_per_fte_in_the_team(
    db, team, iro_allocated, iro_other
):
    # Alice: 2 children at 1.0 FTE = 2 per FTE; Bob: 1 child at 0.4 FTE = 2.5 per FTE.
    for _ in range(2):
        AllocationFactory(child=_looked_after(ChildFactory()), iro=iro_allocated)
    AllocationFactory(child=_looked_after(ChildFactory()), iro=iro_other)
    iro_other.fte = Decimal("0.40")
    iro_other.save()
    elsewhere = make_user(Role.IRO, username="zoe")  # no team: not suggested for this team
    suggestion = suggest_iro(child=ChildFactory(), role="cla", on=TODAY, team=team)
    assert suggestion.iro == iro_allocated
    assert elsewhere != suggestion.iro


@pytest.fixture
def cp_plans(monkeypatch):
    """A stand-in for the protection app's CP-plan provider: the children put in this set."""
    ids: set[int] = set()
    monkeypatch.setattr(
        registry,
        "cp_plan_child_ids",
        [lambda on: Child.objects.filter(pk__in=ids).values_list("pk", flat=True)],
    )
    return ids


def test_caseload_figures_match_a_hand_worked_example(db, team, iro_allocated, iro_other, cp_plans):
    """Alice (1.0 FTE): CLA a, b, c; CP c (dual), d. Bob (0.5 FTE): CLA e; CP f not on a plan.

    Also: g allocated to Alice but out of care (not counted); h's allocation to Bob ended.
    Alice: CLA 3, CP 2, dual 1, distinct 4, 3.0 looked-after children per FTE (IRO-01's basis:
    CP children are shown, not added). Bob: CLA 1, CP 0, 1 child, 2.0 per FTE.
    """
    iro_other.fte = Decimal("0.50")
    iro_other.save()
    a, b, c, d, e, f, g, h = (ChildFactory() for _ in range(8))
    for kid in (a, b, c, e, h):
        _looked_after(kid)
    CareEpisodeFactory(child=g, start=date(2024, 1, 10), end=date(2025, 1, 10), reason_ceased="E4A")
    for kid in (a, b, c, g):
        AllocationFactory(child=kid, iro=iro_allocated)
    for kid in (c, d):
        AllocationFactory(child=kid, iro=iro_allocated, role="cp")
    AllocationFactory(child=e, iro=iro_other)
    AllocationFactory(child=f, iro=iro_other, role="cp")
    AllocationFactory(child=h, iro=iro_other, end=date(2025, 2, 1))
    cp_plans.update({c.pk, d.pk})
    rows = {r.username: r for r in caseload_rows(on=TODAY, team=team)}
    alice, bob = rows["alice"], rows["bob"]
    assert (alice.cla, alice.cp, alice.dual, alice.children, alice.per_fte) == (3, 2, 1, 4, 3.0)
    assert (bob.cla, bob.cp, bob.dual, bob.children, bob.per_fte) == (1, 0, 0, 1, 2.0)


def test_caseload_rows_take_one_query(
    db, team, iro_allocated, iro_other, django_assert_num_queries
):
    AllocationFactory(child=_looked_after(ChildFactory()), iro=iro_allocated)
    with django_assert_num_queries(1):
        assert len(list(caseload_rows(on=TODAY, team=team))) == 2


def test_iro_02_monthly_mean_median_mode_and_highest_match_a_hand_worked_example(
    db, team, iro_allocated, iro_other
):
    """IRO-01 and IRO-02 at month end Feb 2026: Alice 3 children (1.0 FTE), Bob 1 (0.5 FTE),
    Carl 1 (1.0 FTE). Children per FTE (IRO-01) = 5 / 2.5 = 2.0; each IRO's own ratio 3, 2, 1:
    mean 2.0, median 2.0, mode (all held once: nearest the mean) 2, highest 3; 5 in care, plus
    one child who left on 1 Feb 2026 and counts only in January.
    """
    iro_other.fte = Decimal("0.50")
    iro_other.save()
    carl = make_user(Role.IRO, username="carl", team=team)
    for iro, n in ((iro_allocated, 3), (iro_other, 1), (carl, 1)):
        for _ in range(n):
            AllocationFactory(
                child=_looked_after(ChildFactory(), date(2025, 12, 1)),
                iro=iro,
                start=date(2025, 12, 1),
            )
    leaver = ChildFactory()
    CareEpisodeFactory(
        child=leaver, start=date(2025, 12, 1), end=date(2026, 2, 1), reason_ceased="E4A"
    )
    AllocationFactory(child=leaver, iro=carl, start=date(2025, 12, 1), end=date(2026, 2, 1))
    months = {m.on: m for m in caseloads_by_month(today=TODAY, team=team)}
    assert len(months) == 12 and max(months) == TODAY
    feb = months[date(2026, 2, 28)]
    assert (feb.in_care, feb.per_fte, feb.mean, feb.median, feb.mode, feb.highest, feb.iros) == (
        5, 2.0, 2.0, 2.0, 2, 3.0, 3,
    )  # fmt: skip
    jan = months[date(2026, 1, 31)]
    # January: Carl also has the leaver: 3, 2, 2 per FTE: mean 2.3; 6 children / 2.5 FTE = 2.4.
    assert (jan.in_care, jan.highest, jan.mean, jan.per_fte) == (6, 3.0, 2.3, 2.4)
    assert months[date(2025, 11, 30)].in_care == 0
    assert months[date(2025, 11, 30)].mean is None and months[date(2025, 11, 30)].per_fte is None


def test_iro_01_one_function_answers_on_a_date_and_at_a_month_end(db, team, iro_allocated):
    """IRO-01: caseload_per_fte_on(D) and the monthly table's row for D's month end agree, and
    the month row is read at the month's last day (the current month at today)."""
    AllocationFactory(child=_looked_after(ChildFactory(), date(2026, 1, 5)), iro=iro_allocated)
    on_day = caseload_per_fte_on(on=date(2026, 2, 28), team=team)
    months = {m.on: m for m in caseloads_by_month(today=TODAY, team=team)}
    assert months[date(2026, 2, 28)] == on_day and on_day.per_fte == 1.0
    assert months[TODAY] == caseload_per_fte_on(on=TODAY, team=team)


def test_requests_are_overdue_after_the_target_hours(db, iro_allocated):
    from iro.selectors_children import unallocated

    now = timezone.now()
    old = AllocationRequest.objects.create(
        child=ChildFactory(), role="cla", notified_at=now - timedelta(hours=73)
    )
    AllocationRequest.objects.create(
        child=ChildFactory(), role="cla", notified_at=now - timedelta(hours=5)
    )
    rows = unallocated(Child.objects.all(), now=now)
    assert [(r.request.pk == old.pk, r.hours, r.overdue) for r in rows] == [
        (True, 73.0, True),
        (False, 5.0, False),
    ]
