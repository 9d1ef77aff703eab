"""Between reviews: recommendations, IRO visits and contacts, midway reviews, monitoring checks."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from iro import date_bounds
from iro.models import Child, User
from reviews.models import (
    ContactKind,
    IroContact,
    MidwayReview,
    MonitoringCheck,
    Recommendation,
    Review,
    ReviewStatus,
)


def _not_future(name: str, value: date, today: date | None) -> None:
    if value > (today or timezone.localdate()):
        raise ValidationError({name: "The date must be today or in the past."})


@transaction.atomic
def recommendation_add(
    *, review: Review, text: str, owner: str, target_date: date
) -> Recommendation:
    if review.status != ReviewStatus.HELD:
        raise ValidationError("Add recommendations once the review has been held.")
    date_bounds.recommendation_due("target_date", target_date, review.held_on)
    recommendation = Recommendation(
        review=review, text=text.strip(), owner=owner.strip(), target_date=target_date
    )
    recommendation.full_clean()
    recommendation.save()
    return recommendation


@transaction.atomic
def recommendation_complete(
    *, recommendation: Recommendation, completed_on: date, today: date | None = None
) -> Recommendation:
    _not_future("completed_on", completed_on, today)
    recommendation.completed_on = completed_on
    recommendation.full_clean()
    recommendation.save()
    return recommendation


@transaction.atomic
def contact_record(
    *,
    child: Child,
    iro: User,
    contact_on: date,
    kind: str,
    seen_alone: bool | None = None,
    notes: str = "",
    today: date | None = None,
) -> IroContact:
    _not_future("contact_on", contact_on, today)
    if kind not in (ContactKind.VISIT, ContactKind.VIDEO):
        seen_alone = None
    contact = IroContact(
        child=child, iro=iro, contact_on=contact_on, kind=kind, seen_alone=seen_alone, notes=notes
    )
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def midway_review_record(
    *,
    child: Child,
    iro: User,
    held_on: date,
    plan_on_track: bool,
    recommendations_progressing: bool,
    notes: str = "",
    today: date | None = None,
) -> MidwayReview:
    _not_future("held_on", held_on, today)
    if not (plan_on_track and recommendations_progressing) and not notes.strip():
        raise ValidationError({"notes": "Say what is off track and what you will do about it."})
    midway = MidwayReview(
        child=child,
        iro=iro,
        held_on=held_on,
        plan_on_track=plan_on_track,
        recommendations_progressing=recommendations_progressing,
        notes=notes.strip(),
    )
    midway.full_clean()
    midway.save()
    return midway


@transaction.atomic
def monitoring_check_record(
    *,
    child: Child,
    iro: User,
    checked_on: date,
    plan_up_to_date: bool,
    plan_smart: bool,
    assessment_current: bool,
    voice_of_child: bool,
    issues_found: str = "",
    review: Review | None = None,
    today: date | None = None,
) -> MonitoringCheck:
    """The IRO monitoring tool. Any standard not met needs the issues found written down."""
    _not_future("checked_on", checked_on, today)
    all_met = plan_up_to_date and plan_smart and assessment_current and voice_of_child
    if not all_met and not issues_found.strip():
        raise ValidationError(
            {"issues_found": "Describe the issues found for each standard that is not met."}
        )
    if review is not None and review.child_id != child.pk:
        raise ValidationError({"review": "Choose a review of this child."})
    check = MonitoringCheck(
        child=child,
        iro=iro,
        review=review,
        checked_on=checked_on,
        plan_up_to_date=plan_up_to_date,
        plan_smart=plan_smart,
        assessment_current=assessment_current,
        voice_of_child=voice_of_child,
        issues_found=issues_found.strip(),
    )
    check.full_clean()
    check.save()
    return check
