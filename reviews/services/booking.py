"""Booking, rescheduling and cancelling reviews, on the shared meeting machinery in iro.meetings.

The clash check (one chair, no overlapping meetings, even for simultaneous bookings) lives in
iro.meetings under a row lock on the chair; these services add the review's own rules.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from iro.meetings import meeting_book, meeting_cancel, meeting_reschedule
from iro.models import MeetingKind, ServiceSettings, User
from iro.roles import Role
from iro.rules import (
    BOOKING_HORIZON_MONTHS,
    is_late_booking,
    latest_booking_day,
    meeting_after_due,
)
from reviews.models import Review, ReviewSequence, ReviewStatus
from reviews.services.cycle import reviews_recompute


def _lock(review: Review) -> Review:
    return (
        Review.objects.select_for_update(of=("self",))
        .select_related("child", "meeting")
        .get(pk=review.pk)
    )


def _timing_errors(*, review: Review, starts_at: datetime, late_reason: str, today) -> dict:
    errors: dict[str, str] = {}
    day = timezone.localdate(starts_at)
    if day < today:
        errors["starts_at"] = "The review date must be today or in the future."
    elif day > latest_booking_day(today):
        errors["starts_at"] = (
            f"The review date must be within {BOOKING_HORIZON_MONTHS} months, "
            f"by {latest_booking_day(today):%-d %B %Y}."
        )
    elif meeting_after_due(day, review.due_date) and not late_reason.strip():
        errors["late_reason"] = (
            f"The review is due by {review.due_date:%-d %B %Y}. Give the reason for holding it "
            "after its due date."
        )
    return errors


def _is_late(*, review: Review, starts_at: datetime, today) -> bool:
    lead = ServiceSettings.load().booking_lead_working_days
    return is_late_booking(today, review.due_date, lead) or meeting_after_due(
        timezone.localdate(starts_at), review.due_date
    )


@transaction.atomic
def review_book(
    *,
    review: Review,
    chair: User,
    starts_at: datetime,
    ends_at: datetime | None = None,
    venue_type: str,
    venue_detail: str = "",
    late_reason: str = "",
    additional: bool = False,
    booked_by: User | None,
    today=None,
) -> Review:
    """Book the meeting for a review that is due (`additional`: an early review, REG 33(3)).

    The service target is booking at least 10 working days (ServiceSettings) before the due
    date: a later booking is allowed but flagged; a meeting after the due date needs a reason.
    """
    today = today or timezone.localdate()
    review = _lock(review)
    if review.status != ReviewStatus.DUE:
        raise ValidationError("Only a review that is due and not yet booked can be booked.")
    errors = _timing_errors(
        review=review, starts_at=starts_at, late_reason=late_reason, today=today
    )
    if not chair.has_role(Role.IRO):
        errors["chair"] = "Choose an IRO to chair the review."
    if errors:
        raise ValidationError(errors)
    meeting = meeting_book(
        kind=MeetingKind.CLA_REVIEW,
        chair=chair,
        children=[review.child],
        starts_at=starts_at,
        ends_at=ends_at,
        venue_type=venue_type,
        venue_detail=venue_detail,
        booked_by=booked_by,
    )
    review.meeting = meeting
    review.status = ReviewStatus.BOOKED
    review.booked_on = today
    review.late_booking = _is_late(review=review, starts_at=starts_at, today=today)
    review.late_reason = late_reason.strip()
    if additional:
        review.sequence = ReviewSequence.ADDITIONAL
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def review_reschedule(
    *,
    review: Review,
    starts_at: datetime,
    ends_at: datetime | None = None,
    reason: str,
    agreed_by: User | None,
    changed_by: User | None,
    venue_type: str | None = None,
    venue_detail: str | None = None,
    late_reason: str = "",
    today=None,
) -> Review:
    """Move a booked review: needs the reason and the team manager who agreed it."""
    today = today or timezone.localdate()
    review = _lock(review)
    if review.status != ReviewStatus.BOOKED:
        raise ValidationError("Only a booked review can be rescheduled.")
    errors = _timing_errors(
        review=review, starts_at=starts_at, late_reason=late_reason, today=today
    )
    if not reason.strip():
        errors["reason"] = "Give the reason for rescheduling."
    if agreed_by is None or not agreed_by.has_role(Role.TEAM_MANAGER):
        errors["agreed_by"] = "Choose the team manager who agreed the change."
    if errors:
        raise ValidationError(errors)
    meeting_reschedule(
        meeting=review.meeting,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        agreed_by=agreed_by,
        changed_by=changed_by,
        venue_type=venue_type,
        venue_detail=venue_detail,
    )
    review.late_booking = review.late_booking or _is_late(
        review=review, starts_at=starts_at, today=today
    )
    if late_reason.strip():
        review.late_reason = late_reason.strip()
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def review_cancel(*, review: Review, reason: str, changed_by: User | None) -> Review:
    """Cancel a booked review. The child still needs a review: a new one, due on the same date,
    is created at once so it shows again as due and not booked."""
    review = _lock(review)
    if review.status != ReviewStatus.BOOKED:
        raise ValidationError("Only a booked review can be cancelled.")
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for cancelling."})
    meeting_cancel(meeting=review.meeting, reason=reason, changed_by=changed_by)
    review.status = ReviewStatus.CANCELLED
    review.cancellation_reason = reason.strip()
    review.full_clean()
    review.save()
    reviews_recompute(child=review.child)
    return review
