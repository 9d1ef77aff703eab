"""Before and after the meeting: preparation, the outcome, and the review record's milestones."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from iro import date_bounds
from iro.meetings import meeting_mark_held
from iro.models import User
from iro.signals import meeting_outcome_recorded
from reviews import rules
from reviews.models import VENUES_FOR_MODE, Recommendation, Review, ReviewMode, ReviewStatus
from reviews.services.cycle import reviews_recompute


def _lock(review: Review) -> Review:
    return (
        Review.objects.select_for_update(of=("self",))
        .select_related("child", "meeting")
        .get(pk=review.pk)
    )


@transaction.atomic
def review_record_preparation(
    *,
    review: Review,
    sw_report_received_on: date | None,
    child_seen_before: bool | None,
    parents_invited: bool | None,
    today: date | None = None,
) -> Review:
    """Before the meeting: the social worker's report, whether the IRO saw the child, invitations."""
    today = today or timezone.localdate()
    review = _lock(review)
    if review.status in (ReviewStatus.CANCELLED, ReviewStatus.MISSED):
        raise ValidationError("A cancelled review cannot be updated.")
    if sw_report_received_on is not None and sw_report_received_on > today:
        raise ValidationError(
            {"sw_report_received_on": "The date the report was received must not be in the future."}
        )
    review.sw_report_received_on = sw_report_received_on
    review.child_seen_before = child_seen_before
    review.parents_invited = parents_invited
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def review_record_outcome(
    *,
    review: Review,
    held_on: date,
    participation: str,
    child_attended: bool | None,
    parents_attended: bool | None,
    professionals_attended: str = "",
    actual_venue: str,
    permanence_plan_type: str = "",
    permanence_track: str = "",
    childs_views_considered: bool | None,
    child_seen_before: bool | None = None,
    mode: str = "",
    non_attendance_reason: str = "",
    safeguarding_issue: bool | None = None,
    safeguarding_types: list[str] | tuple = (),
    recommendations: list[dict] | tuple = (),
    recorded_by: User | None,
    today: date | None = None,
) -> Review:
    """Record that a booked review was held, and create the next review at once.

    The participation code is checked against the child's age on the review date (PN0 if and
    only if under 4); the meeting is marked held. The mode (in person, virtual, hybrid) must fit
    the venue (a virtual review has no room); when not given it follows from the venue. A child
    who did not attend needs the reason; safeguarding issue types go with the flag.
    """
    today = today or timezone.localdate()
    review = _lock(review)
    if review.status != ReviewStatus.BOOKED:
        raise ValidationError("Only a booked review can have its outcome recorded.")
    errors: dict[str, str] = {}
    if held_on > today:
        errors["held_on"] = "The date the review was held must be today or in the past."
    elif held_on < review.period_start:
        errors["held_on"] = (
            f"The review must be held on or after the start of the period of care, "
            f"{review.period_start:%-d %B %Y}."
        )
    problem = rules.participation_error(participation, review.child.date_of_birth, held_on)
    if problem:
        errors["participation"] = problem
    if permanence_track and not permanence_plan_type:
        errors["permanence_plan_type"] = "Choose the type of permanence plan for this track."
    if not mode and actual_venue:
        mode = {"virtual": ReviewMode.VIRTUAL, "hybrid": ReviewMode.HYBRID}.get(
            actual_venue, ReviewMode.IN_PERSON
        )
    if mode and actual_venue and actual_venue not in VENUES_FOR_MODE.get(mode, ()):
        errors["mode"] = (
            f"A review held {ReviewMode(mode).label.split(' (')[0].lower()} cannot have the "
            f"venue you chose: check the venue and how the review was held."
        )
    if child_attended is False and not non_attendance_reason:
        errors["non_attendance_reason"] = "Select why the child did not attend."
    elif child_attended is not False and non_attendance_reason:
        errors["non_attendance_reason"] = (
            "Give a reason for not attending only when the child did not attend."
        )
    safeguarding_types = list(dict.fromkeys(safeguarding_types))
    if safeguarding_issue and not safeguarding_types:
        errors["safeguarding_types"] = "Select the type of each safeguarding issue raised."
    elif not safeguarding_issue and safeguarding_types:
        errors["safeguarding_types"] = (
            "Select safeguarding issue types only when a current issue was raised."
        )
    if errors:
        raise ValidationError(errors)
    review.meeting = meeting_mark_held(meeting=review.meeting, held_on=held_on, by=recorded_by)
    review.status = ReviewStatus.HELD
    review.held_on = held_on
    review.participation = participation
    review.child_attended = child_attended
    review.parents_attended = parents_attended
    review.professionals_attended = professionals_attended.strip()
    review.actual_venue = actual_venue
    review.permanence_plan_type = permanence_plan_type
    review.permanence_track = permanence_track
    review.childs_views_considered = childs_views_considered
    review.mode = mode
    review.non_attendance_reason = non_attendance_reason
    review.safeguarding_issue = safeguarding_issue
    review.safeguarding_types = safeguarding_types
    if child_seen_before is not None:
        review.child_seen_before = child_seen_before
    review.outcome_recorded_by = recorded_by
    review.full_clean()
    review.save()
    for item in recommendations:
        date_bounds.recommendation_due("recommendations", item["target_date"], held_on)
        recommendation = Recommendation(review=review, **item)
        recommendation.full_clean()
        recommendation.save()
    reviews_recompute(child=review.child)
    meeting_outcome_recorded.send(
        sender=Review,
        meeting=review.meeting,
        child=review.child,
        held_on=held_on,
        parents_invited=review.parents_invited,
        recorded_by=recorded_by,
    )
    return review


@transaction.atomic
def review_record_milestones(
    *,
    review: Review,
    manager_informed_on: date | None,
    record_completed_on: date | None,
    record_distributed_on: date | None,
    today: date | None = None,
) -> Review:
    """The review record: manager informed, record completed, record distributed."""
    today = today or timezone.localdate()
    review = _lock(review)
    if review.status != ReviewStatus.HELD:
        raise ValidationError("Record milestones once the review has been held.")
    values = {
        "manager_informed_on": manager_informed_on,
        "record_completed_on": record_completed_on,
        "record_distributed_on": record_distributed_on,
    }
    errors = {}
    for name, value in values.items():
        if value is None:
            continue
        if value < review.held_on:
            errors[name] = f"The date must be on or after the review, {review.held_on:%-d %B %Y}."
        elif value > today:
            errors[name] = "The date must be today or in the past."
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(review, name, value)
    review.full_clean()
    review.save()
    return review
