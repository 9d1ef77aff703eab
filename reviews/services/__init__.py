"""Writes of the reviews app. Each service is keyword-only, atomic and validates before saving."""

from reviews.services.between import (
    contact_record,
    midway_review_record,
    monitoring_check_record,
    recommendation_add,
    recommendation_complete,
)
from reviews.services.booking import review_book, review_cancel, review_reschedule
from reviews.services.calendar import calendar_feed_create, calendar_feed_revoke
from reviews.services.cycle import reviews_recompute
from reviews.services.outcome import (
    review_record_milestones,
    review_record_outcome,
    review_record_preparation,
)

__all__ = [
    "calendar_feed_create",
    "calendar_feed_revoke",
    "contact_record",
    "midway_review_record",
    "monitoring_check_record",
    "recommendation_add",
    "recommendation_complete",
    "review_book",
    "review_cancel",
    "review_record_milestones",
    "review_record_outcome",
    "review_record_preparation",
    "review_reschedule",
    "reviews_recompute",
]
