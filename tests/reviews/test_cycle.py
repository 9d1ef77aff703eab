"""The next review exists at once: on a new period of care, after each review, on episode changes."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from iro.signals import care_episodes_changed, period_of_care_started
from reviews.models import Review, ReviewStatus
from reviews.services import reviews_recompute
from tests.iro.factories import CareEpisodeFactory
from tests.reviews.factories import held_review

pytestmark = pytest.mark.django_db


def open_review(child) -> Review:
    return Review.objects.get(child=child, status__in=["due", "booked"])


def test_a_period_of_care_starting_creates_the_first_review_at_once(child):
    episode = CareEpisodeFactory(child=child, start=date(2023, 4, 28))
    period_of_care_started.send(sender=None, child=child, episode=episode)
    review = open_review(child)
    assert (review.sequence, review.due_date, review.status) == ("first", date(2023, 5, 31), "due")
    assert review.period_start == date(2023, 4, 28)


def test_changing_the_start_of_care_moves_the_due_date_of_the_review_not_yet_held(child):
    episode = CareEpisodeFactory(child=child, start=date(2023, 4, 28))
    period_of_care_started.send(sender=None, child=child, episode=episode)
    episode.start = date(2023, 5, 2)
    episode.save()
    care_episodes_changed.send(sender=None, child=child, changed_from=date(2023, 4, 28))
    # From 28 Apr (Fri) day 1 is 2 May; from 2 May day 1 is 3 May: one working day later.
    assert open_review(child).due_date == date(2023, 6, 1)
    assert Review.objects.filter(child=child).count() == 1


def test_held_reviews_are_history_and_the_cycle_counts_from_them(child, iro_allocated):
    CareEpisodeFactory(child=child, start=date(2023, 4, 28))
    held_review(
        chair=iro_allocated, child=child, held_on=date(2023, 5, 25), due_date=date(2023, 5, 31)
    )
    review = reviews_recompute(child=child)
    assert (review.sequence, review.due_date) == ("second", date(2023, 8, 25))


def test_a_new_period_of_care_restarts_the_cycle(child, iro_allocated):
    CareEpisodeFactory(
        child=child, start=date(2022, 1, 5), end=date(2022, 6, 1), reason_ceased="E4A"
    )
    held_review(
        chair=iro_allocated, child=child, held_on=date(2022, 2, 1), due_date=date(2022, 2, 2)
    )
    assert reviews_recompute(child=child) is None  # the period ended: nothing due
    assert not Review.objects.filter(child=child, status="due").exists()
    episode = CareEpisodeFactory(child=child, start=date(2023, 4, 28))
    period_of_care_started.send(sender=None, child=child, episode=episode)
    review = open_review(child)
    assert (review.sequence, review.due_date) == ("first", date(2023, 5, 31))


def test_short_breaks_get_no_reviews(child):
    episode = CareEpisodeFactory(child=child, start=date(2024, 1, 8), legal_status="V3")
    period_of_care_started.send(sender=None, child=child, episode=episode)
    assert not Review.objects.filter(child=child).exists()


def test_placement_for_adoption_brings_the_next_review_forward(child, iro_allocated):
    first = CareEpisodeFactory(
        child=child, start=date(2023, 4, 28), end=date(2024, 3, 1), reason_ceased="X1"
    )
    held_review(
        chair=iro_allocated, child=child, held_on=date(2023, 5, 25), due_date=date(2023, 5, 31)
    )
    held_review(
        chair=iro_allocated, child=child, held_on=date(2024, 1, 10), due_date=date(2024, 1, 10)
    )
    assert reviews_recompute(child=child).due_date == date(2024, 7, 10)
    CareEpisodeFactory(
        child=child, start=first.end, reason_new_episode="B", legal_status="E1", placement_type="A6"
    )
    care_episodes_changed.send(sender=None, child=child, changed_from=first.end)
    assert open_review(child).due_date == date(2024, 3, 29)  # within 4 weeks of placement


def test_recompute_twice_changes_nothing(child):
    CareEpisodeFactory(child=child, start=date(2023, 4, 28))
    first = reviews_recompute(child=child)
    again = reviews_recompute(child=child)
    assert first.pk == again.pk
    assert Review.objects.filter(child=child).count() == 1
    assert first.history.count() == 1


def test_the_database_refuses_two_open_reviews_for_one_child(child):
    from django.db import IntegrityError, transaction

    CareEpisodeFactory(child=child, start=timezone.localdate() - timedelta(days=3))
    review = reviews_recompute(child=child)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(
            child=child,
            sequence="first",
            period_start=review.period_start,
            due_date=review.due_date,
            status=ReviewStatus.DUE,
        )
