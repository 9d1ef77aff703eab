"""The synthetic-data generator: realistic reviews for whatever children and episodes exist."""

import random
from collections import Counter
from datetime import date

import pytest

from iro.models import Meeting
from iro.registry import SyntheticContext, registry
from reviews import rules
from reviews.models import Review, ReviewStatus
from reviews.synthetic import generate
from tests.iro.factories import AllocationFactory, CareEpisodeFactory, ChildFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)


def context():
    return SyntheticContext(
        scale="small", params={}, rng=random.Random(7), today=TODAY, log=lambda message: None
    )


@pytest.fixture
def population(iro_allocated, iro_other):
    children = []
    for n in range(40):
        child = ChildFactory(date_of_birth=date(2010 + n % 15, 1 + n % 12, 10))
        start = date(2016 + n % 8, 1 + n % 12, 5)
        CareEpisodeFactory(child=child, start=start)
        AllocationFactory(child=child, iro=[iro_allocated, iro_other][n % 2], start=start)
        children.append(child)
    left = ChildFactory()
    CareEpisodeFactory(
        child=left, start=date(2019, 3, 4), end=date(2020, 2, 1), reason_ceased="E4A"
    )
    AllocationFactory(child=left, iro=iro_other, start=date(2019, 3, 4), end=date(2020, 2, 1))
    short = ChildFactory()
    CareEpisodeFactory(child=short, start=date(2024, 3, 4), legal_status="V3")
    AllocationFactory(child=short, iro=iro_other, start=date(2024, 3, 4))
    return {"in_care": children, "left": left, "short_breaks": short}


def test_the_generator_is_registered():
    assert ("reviews", generate) in registry.synthetic_data


@pytest.mark.parametrize("chunk", [5000, 7])
def test_generated_reviews_follow_the_rules_with_realistic_timeliness(
    population, chunk, monkeypatch
):
    monkeypatch.setattr("reviews.synthetic.CHILDREN_PER_CHUNK", chunk)
    generate(context())
    held = list(Review.objects.filter(status=ReviewStatus.HELD).select_related("child"))
    assert len(held) > 300
    on_time = sum(r.held_on <= r.due_date for r in held) / len(held)
    assert 0.85 <= on_time <= 0.99
    for review in held:
        assert (review.participation == "PN0") == rules.participation_must_be_pn0(
            review.child.date_of_birth, review.held_on
        )
    mix = Counter(r.participation for r in held if r.participation != "PN0")
    assert mix.most_common(1)[0][0] in {"PN6", "PN1"}
    # Every child still in care has exactly one next review; the others none.
    open_children = Counter(
        Review.objects.filter(status__in=["due", "booked"]).values_list("child_id", flat=True)
    )
    assert set(open_children) == {c.pk for c in population["in_care"]}
    assert not Review.objects.filter(child=population["short_breaks"]).exists()
    left = Review.objects.filter(child=population["left"])
    assert left.exists() and all(r.held_on < date(2020, 2, 1) for r in left)
    # Booked reviews have meetings for the schedule and the calendar.
    booked = Review.objects.filter(status="booked")
    assert booked.exists() and not booked.filter(meeting__isnull=True).exists()
    assert Meeting.objects.filter(children__isnull=True).count() == 0


def test_the_first_review_of_each_period_is_due_20_working_days_after_it_starts(population):
    generate(context())
    for child in population["in_care"][:10]:
        first = Review.objects.filter(child=child).order_by("due_date").first()
        assert first.sequence == "first"
        assert first.due_date == rules.first_review_due(first.period_start)
