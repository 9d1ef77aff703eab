"""Factories for the reviews app: a child in care with its first review, booked or held."""

from datetime import date, datetime, time, timedelta

import factory
from django.utils import timezone

from iro.models import MeetingKind
from reviews.models import Review, ReviewSequence, ReviewStatus
from tests.iro.factories import ChildFactory, MeetingFactory


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class ReviewFactory(factory.django.DjangoModelFactory):
    """A review that is due (not booked). Use `booked_review` / `held_review` for the others."""

    class Meta:
        model = Review

    child = factory.SubFactory(ChildFactory)
    sequence = ReviewSequence.FIRST
    period_start = factory.LazyAttribute(lambda r: r.due_date - timedelta(days=28))
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    status = ReviewStatus.DUE


def booked_review(*, chair, child=None, starts_at=None, due_date=None, **kwargs) -> Review:
    """A booked review with its meeting (made directly, without the booking rules)."""
    starts_at = starts_at or at(timezone.localdate() + timedelta(days=2))
    review = ReviewFactory(
        child=child or ChildFactory(),
        due_date=due_date or timezone.localdate(starts_at) + timedelta(days=10),
        **kwargs,
    )
    review.meeting = MeetingFactory(
        kind=MeetingKind.CLA_REVIEW, chair=chair, starts_at=starts_at, children=[review.child]
    )
    review.status = ReviewStatus.BOOKED
    review.booked_on = timezone.localdate()
    review.save()
    return review


def held_review(*, chair, child=None, held_on, due_date=None, participation="PN1", **kwargs):
    review = booked_review(
        chair=chair, child=child, starts_at=at(held_on), due_date=due_date or held_on, **kwargs
    )
    review.meeting.status = "held"
    review.meeting.save()
    review.status = ReviewStatus.HELD
    review.held_on = held_on
    review.participation = participation
    review.save()
    return review
