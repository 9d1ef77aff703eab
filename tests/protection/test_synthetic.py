"""The synthetic CP generator: volumes near the scale's numbers, shapes from the seed report."""

import random
from datetime import date

import pytest
from django.db.models import Count, Exists, F, OuterRef, Q

from iro.models import Allocation, AllocationRole, Child, Meeting
from iro.registry import SyntheticContext, registry
from iro.roles import Role
from protection.models import Conference, ConferenceKind, ProtectionPlan
from protection.selectors import annotate_plans, plans_open_on
from protection.synthetic import generate
from tests.iro.factories import AllocationFactory, CareEpisodeFactory, ChildFactory, make_user

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 30)


@pytest.fixture
def generated():
    iros = [make_user(Role.IRO, username=f"iro{n}") for n in range(6)]
    for n in range(20):
        child = ChildFactory(la_child_id=f"C{n:07d}")
        CareEpisodeFactory(child=child, start=date(2024, 1, 10))
        AllocationFactory(child=child, iro=iros[n % 6])
    ctx = SyntheticContext(
        scale="small",
        params={"cp_plans": 60, "years": 3},
        rng=random.Random(7),
        today=TODAY,
        log=lambda message: None,
    )
    generate(ctx)
    return ctx


def test_the_generator_is_registered():
    assert ("protection", generate) in registry.synthetic_data


def test_open_plans_are_near_the_scales_number(generated):
    open_now = plans_open_on(TODAY).count()
    assert 40 <= open_now <= 80
    assert Child.objects.filter(la_child_id__startswith="P").exists()


def test_icpc_timeliness_is_realistic(generated):
    held = Conference.objects.filter(kind=ConferenceKind.ICPC, status="held")
    timely = held.filter(held_on__lte=F("due")).count()
    assert 0.75 <= timely / held.count() <= 0.95


def test_about_a_fifth_of_plans_are_second_or_subsequent(generated):
    plans = ProtectionPlan.objects.all()
    share = plans.filter(previous_plans__gte=1).count() / plans.count()
    assert 0.1 <= share <= 0.3


def test_stored_previous_plans_agree_with_history(generated):
    mismatched = annotate_plans(ProtectionPlan.objects.all(), TODAY).exclude(
        previous_plans=F("previous_plans_from_history")
    )
    assert mismatched.count() == 0


def test_no_chair_is_double_booked_and_no_plans_overlap(generated):
    clashes = (
        Meeting.objects.filter(status__in=["booked", "held"])
        .values("chair", "starts_at")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert list(clashes) == []
    earlier_still_open = ProtectionPlan.objects.filter(
        child=OuterRef("child"), start__lt=OuterRef("start")
    ).filter(Q(end__isnull=True) | Q(end__gt=OuterRef("start")))
    assert ProtectionPlan.objects.filter(Exists(earlier_still_open)).count() == 0


def test_every_open_plan_has_its_chair_as_cp_allocation(generated):
    open_plans = plans_open_on(TODAY).filter(end__isnull=True)
    allocated = Allocation.objects.filter(role=AllocationRole.CP, end__isnull=True)
    assert set(open_plans.values_list("child_id", "chair_id")) == set(
        allocated.values_list("child_id", "iro_id")
    )


def test_some_children_in_care_also_get_plans(generated):
    assert Child.objects.filter(la_child_id__startswith="C", cp_plans__isnull=False).exists()
