"""The synthetic-data generator: realistic reviews for whatever children and episodes exist."""

import random
from collections import Counter
from datetime import date, timedelta

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


def test_adoption_reviews_follow_the_adoption_state_at_the_time(iro_allocated):
    """Placement order on 1 Jun 2023, placed for adoption on 16 Oct 2023: the review after the
    order is due 3 months on (1 Sep 2023, the child not yet placed), and the first review after
    the placement 4 weeks after it (13 Nov 2023). Working the state out once from the end of the
    period (placed) would lose the 1 September review."""
    child = ChildFactory(date_of_birth=date(2021, 5, 1))
    CareEpisodeFactory(child=child, start=date(2023, 1, 9), placement_type="U4",
                       end=date(2023, 6, 1), reason_ceased="X1")  # fmt: skip
    CareEpisodeFactory(child=child, start=date(2023, 6, 1), reason_new_episode="L",
                       legal_status="E1", placement_type="U4", end=date(2023, 10, 16),
                       reason_ceased="X1")  # fmt: skip
    CareEpisodeFactory(child=child, start=date(2023, 10, 16), reason_new_episode="P",
                       legal_status="E1", placement_type="A6")  # fmt: skip
    AllocationFactory(child=child, iro=iro_allocated, start=date(2023, 1, 9))
    generate(context())
    reviews = {r.due_date: r for r in Review.objects.filter(child=child)}
    assert date(2023, 9, 1) in reviews
    september = reviews[date(2023, 9, 1)]
    assert date(2023, 11, 13) in reviews or september.held_on > date(2023, 10, 16)


def test_children_who_left_care_with_a_review_overdue_have_it_as_missed(iro_allocated):
    """In care from Mon 6 Jan to Tue 4 Feb 2025: the first review falls due on Mon 3 Feb (20
    working days). Held on time it is held; held late it would fall after care ended, so it is
    on record as missed (about 7% of reviews are late)."""
    children = []
    for _ in range(60):
        child = ChildFactory()
        CareEpisodeFactory(child=child, start=date(2025, 1, 6), end=date(2025, 2, 4),
                           reason_ceased="E4A")  # fmt: skip
        AllocationFactory(child=child, iro=iro_allocated, start=date(2025, 1, 6))
        children.append(child)
    generate(context())
    reviews = Review.objects.filter(child__in=children)
    assert reviews.count() == 60  # one first review each, held or missed
    assert set(reviews.values_list("due_date", flat=True)) == {date(2025, 2, 3)}
    missed = reviews.filter(status=ReviewStatus.MISSED)
    assert 0 < missed.count() < 15
    assert not missed.filter(held_on__isnull=False).exists()
    held = reviews.filter(status=ReviewStatus.HELD)
    assert held.count() + missed.count() == 60
    assert not held.filter(held_on__gte=date(2025, 2, 4)).exists()


def test_generated_outcomes_carry_mode_reasons_and_safeguarding_consistently(population):
    generate(context())
    held = Review.objects.filter(status=ReviewStatus.HELD)
    assert not held.filter(mode="").exists()
    assert not held.filter(child_attended=False, non_attendance_reason="").exists()
    assert not held.filter(mode="virtual").exclude(actual_venue="virtual").exists()
    assert held.filter(safeguarding_issue=True).exists()
    assert not held.filter(safeguarding_issue=True, safeguarding_types=[]).exists()
    modes = Counter(held.values_list("mode", flat=True))
    assert modes["in_person"] > modes["virtual"] > 0 and modes["hybrid"] > 0


def test_only_children_with_an_iro_get_their_next_review_booked(iro_allocated, iro_other):
    """Children in care whose IRO's allocation ended (waiting for a new IRO) keep their next
    review due, not booked: before, all of them were booked to the IRO who had gone, up to 61
    reviews on one day at `national` scale."""
    waiting, allocated = [], []
    for n in range(30):
        child = ChildFactory()
        # In care since mid-August 2025: first review in September, second in December, then
        # six-monthly, so the next is due in December 2026, within six weeks of TODAY.
        CareEpisodeFactory(child=child, start=date(2025, 8, 11) + timedelta(days=n % 5))
        ended = n % 2 == 0
        AllocationFactory(
            child=child, iro=iro_other if ended else iro_allocated, start=date(2025, 8, 11),
            end=date(2026, 9, 1) if ended else None,
        )  # fmt: skip
        (waiting if ended else allocated).append(child)
    generate(context())
    open_ = Review.objects.filter(status__in=[ReviewStatus.DUE, ReviewStatus.BOOKED])
    assert open_.filter(child__in=waiting).count() == 15
    assert not open_.filter(child__in=waiting, status=ReviewStatus.BOOKED).exists()
    assert not Meeting.objects.filter(chair=iro_other, status="booked").exists()
    assert open_.filter(child__in=allocated, status=ReviewStatus.BOOKED).count() >= 5
