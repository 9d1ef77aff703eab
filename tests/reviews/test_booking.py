"""Booking, rescheduling and cancelling reviews: the booking target, reasons, clashes."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from iro.models import Meeting, MeetingChange, MeetingStatus
from reviews.models import Review, ReviewStatus
from reviews.services import review_book, review_cancel, review_reschedule
from tests.reviews.factories import ReviewFactory, at, booked_review

pytestmark = pytest.mark.django_db

TODAY = date(2030, 3, 1)  # a Friday


def due_review(child, due=date(2030, 4, 30)):
    return ReviewFactory(child=child, due_date=due, period_start=due - timedelta(days=30))


def book(review, chair, day, hour=10, **kwargs):
    return review_book(
        review=review,
        chair=chair,
        starts_at=at(day, hour),
        venue_type="office",
        booked_by=chair,
        today=kwargs.pop("today", TODAY),
        **kwargs,
    )


def test_booking_two_weeks_ahead_is_not_flagged(child, iro_allocated):
    review = book(due_review(child), iro_allocated, date(2030, 4, 23))
    assert review.status == ReviewStatus.BOOKED
    assert review.late_booking is False
    assert review.booked_on == TODAY
    assert review.meeting.chair == iro_allocated
    assert list(review.meeting.children.all()) == [child]


def test_booking_after_the_booking_deadline_is_allowed_but_flagged(child, iro_allocated):
    # Due Tue 16 Apr 2030; 10 working days before is Tue 2 Apr (Good Friday and Easter Monday
    # 19 and 22 Apr fall later, so do not count). Booking on 3 Apr misses the target.
    review = due_review(child, due=date(2030, 4, 16))
    review = book(review, iro_allocated, date(2030, 4, 15), today=date(2030, 4, 3))
    assert review.late_booking is True


def test_a_meeting_after_the_due_date_needs_a_reason(child, iro_allocated):
    review = due_review(child, due=date(2030, 4, 16))
    with pytest.raises(ValidationError) as error:
        book(review, iro_allocated, date(2030, 4, 17))
    assert "late_reason" in error.value.message_dict
    assert not Meeting.objects.exists()
    review = book(review, iro_allocated, date(2030, 4, 17), late_reason="Child in hospital")
    assert review.late_booking is True
    assert review.late_reason == "Child in hospital"


def test_a_review_cannot_be_booked_in_the_past_or_by_someone_who_is_not_an_iro(
    child, iro_allocated, team_manager
):
    review = due_review(child)
    with pytest.raises(ValidationError) as error:
        book(review, team_manager, date(2030, 2, 27))
    assert set(error.value.message_dict) == {"starts_at", "chair"}


def test_an_iro_cannot_be_double_booked(child, iro_allocated):
    from tests.iro.factories import ChildFactory

    book(due_review(child), iro_allocated, date(2030, 4, 23), hour=10)
    other = due_review(ChildFactory())
    with pytest.raises(ValidationError) as error:
        book(other, iro_allocated, date(2030, 4, 23), hour=11)
    assert "already booked" in error.value.message_dict["starts_at"][0]
    other.refresh_from_db()
    assert other.status == ReviewStatus.DUE
    assert Meeting.objects.count() == 1


def test_only_a_due_review_can_be_booked(child, iro_allocated):
    review = book(due_review(child), iro_allocated, date(2030, 4, 23))
    with pytest.raises(ValidationError):
        book(review, iro_allocated, date(2030, 4, 24))


def test_rescheduling_needs_a_reason_and_a_team_manager_who_agreed(
    child, iro_allocated, iro_other, team_manager
):
    review = book(due_review(child), iro_allocated, date(2030, 4, 23))
    with pytest.raises(ValidationError) as error:
        review_reschedule(
            review=review,
            starts_at=at(date(2030, 4, 24)),
            reason=" ",
            agreed_by=iro_other,
            changed_by=iro_allocated,
            today=TODAY,
        )
    assert set(error.value.message_dict) == {"reason", "agreed_by"}
    review = review_reschedule(
        review=review,
        starts_at=at(date(2030, 4, 24), 14),
        reason="Social worker on leave",
        agreed_by=team_manager,
        changed_by=iro_allocated,
        today=TODAY,
    )
    review.meeting.refresh_from_db()
    assert review.meeting.starts_at == at(date(2030, 4, 24), 14)
    change = MeetingChange.objects.get(meeting=review.meeting)
    assert (change.reason, change.agreed_by) == ("Social worker on leave", team_manager)


def test_cancelling_keeps_the_history_and_puts_the_review_back_as_due(child, iro_allocated):
    review = book(due_review(child), iro_allocated, date(2030, 4, 23))
    with pytest.raises(ValidationError) as error:
        review_cancel(review=review, reason="", changed_by=iro_allocated)
    assert "reason" in error.value.message_dict
    from tests.iro.factories import CareEpisodeFactory

    CareEpisodeFactory(child=child, start=review.period_start)
    review_cancel(review=review, reason="Placement moved", changed_by=iro_allocated)
    review.refresh_from_db()
    assert review.status == ReviewStatus.CANCELLED
    assert review.meeting.status == MeetingStatus.CANCELLED
    again = Review.objects.get(child=child, status=ReviewStatus.DUE)
    assert again.sequence == review.sequence


def test_history_records_each_change_of_a_review(child, iro_allocated):
    review = book(due_review(child), iro_allocated, date(2030, 4, 23))
    assert [h.status for h in review.history.order_by("history_date")] == ["due", "booked"]


def test_a_booked_review_without_a_meeting_is_refused_by_the_database(child, iro_allocated):
    from django.db import IntegrityError, transaction

    review = booked_review(chair=iro_allocated, child=child)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.filter(pk=review.pk).update(meeting=None)


def test_an_additional_review_brought_forward_keeps_its_sequence_through_recomputes(
    child, iro_allocated
):
    from reviews.services import reviews_recompute
    from tests.iro.factories import CareEpisodeFactory

    CareEpisodeFactory(child=child, start=date(2030, 1, 7))
    review = reviews_recompute(child=child)
    review = book(review, iro_allocated, date(2030, 3, 20), additional=True, late_reason="Late")
    assert review.sequence == "additional"
    assert reviews_recompute(child=child).sequence == "additional"
