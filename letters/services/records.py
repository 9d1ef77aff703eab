"""The record of a CLA review written to the child.

Starts from the service's template for the child's age band on the review date, which the IRO
edits. Finishing it marks the review record completed and sending it marks it distributed,
through reviews' own `review_record_milestones` (the one way those dates are set), keeping a date
already recorded: the record timeliness figures (REC-01) then count it like any review record.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from iro.age_bands import AGE_BANDS, UNBORN, band_on
from iro.models import User
from letters.defaults import DEFAULT_TEMPLATES
from letters.models import ChildRecord, ChildRecordStatus, ChildRecordTemplate
from letters.readability import readability
from reviews.models import Review, ReviewStatus
from reviews.services import review_record_milestones

PLACEHOLDER = re.compile(r"\{(first_name|review_date|iro_name|next_review)\}")


def record_band(review: Review) -> str:
    """The child's age band on the day of the review; a child with no date of birth on record
    (not yet possible once in care, but kept safe) gets the youngest band's template."""
    band = band_on(review.child.date_of_birth, review.held_on or timezone.localdate())
    return AGE_BANDS[0].code if band == UNBORN.code else band


def template_text(band: str) -> str:
    """The service's template for `band`: the administrators' row, else the shipped default."""
    row = ChildRecordTemplate.objects.filter(age_band=band).values_list("text", flat=True).first()
    return row or DEFAULT_TEMPLATES[band]


def _next_review_due(review: Review) -> date | None:
    nxt = (
        Review.objects.filter(child_id=review.child_id, status__in=["due", "booked"])
        .order_by("due_date")
        .values_list("due_date", flat=True)
        .first()
    )
    return nxt


def fill_template(text: str, *, review: Review, iro_name: str) -> str:
    """The template with its words in braces filled in; any other braces are left as written."""
    nxt = _next_review_due(review)
    values = {
        "first_name": review.child.first_name,
        "review_date": f"{review.held_on:%-d %B %Y}" if review.held_on else "",
        "iro_name": iro_name,
        "next_review": f"{nxt:%-d %B %Y}" if nxt else "your next review date",
    }
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def child_record_draft(*, review: Review, user: User) -> ChildRecord:
    """The record of `review` as it stands, or a new (unsaved) draft from the template."""
    existing = ChildRecord.objects.filter(review=review).first()
    if existing is not None:
        return existing
    band = record_band(review)
    name = user.get_full_name() or user.username
    return ChildRecord(
        review=review,
        age_band=band,
        text=fill_template(template_text(band), review=review, iro_name=name),
    )


def _check_held(review: Review) -> None:
    if review.status != ReviewStatus.HELD:
        raise ValidationError("Write the record to the child once the review has been held.")


@transaction.atomic
def child_record_save(
    *, review: Review, text: str, by: User, finish: bool = False, today: date | None = None
) -> ChildRecord:
    """Save the record written to the child, with its readability scores; with `finish`, mark
    it finished today and the review record completed (unless already recorded)."""
    today = today or timezone.localdate()
    review = (
        Review.objects.select_for_update(of=("self",)).select_related("child").get(pk=review.pk)
    )
    _check_held(review)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Enter the record written to the child."})
    record = ChildRecord.objects.select_for_update().filter(review=review).first()
    if record is None:
        record = ChildRecord(review=review, age_band=record_band(review))
    score = readability(text)
    record.text = text
    record.reading_ease = score.reading_ease if score else None
    record.reading_age = score.reading_age if score else None
    record.written_by = by
    if finish and record.status != ChildRecordStatus.FINISHED:
        record.status = ChildRecordStatus.FINISHED
        record.finished_on = today
    record.full_clean()
    record.save()
    if finish:
        _milestones(review, completed=record.finished_on, today=today)
    return record


@transaction.atomic
def child_record_mark_sent(*, review: Review, today: date | None = None) -> ChildRecord:
    """The finished record was sent to the child today: the review record is distributed
    (unless a date is already recorded)."""
    today = today or timezone.localdate()
    review = (
        Review.objects.select_for_update(of=("self",)).select_related("child").get(pk=review.pk)
    )
    _check_held(review)
    record = ChildRecord.objects.select_for_update().filter(review=review).first()
    if record is None or record.status != ChildRecordStatus.FINISHED:
        raise ValidationError("Finish the record written to the child before sending it.")
    if record.sent_on is None:
        record.sent_on = today
        record.full_clean()
        record.save()
    _milestones(review, completed=record.finished_on, distributed=record.sent_on, today=today)
    return record


def _milestones(
    review: Review, *, completed: date | None, distributed: date | None = None, today: date
) -> None:
    """The review record's dates through reviews' own service, an earlier date kept."""
    review_record_milestones(
        review=review,
        manager_informed_on=review.manager_informed_on,
        record_completed_on=review.record_completed_on or completed,
        record_distributed_on=review.record_distributed_on or distributed,
        today=today,
    )
