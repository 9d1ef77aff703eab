"""Writes of the protection app. Keyword-only, atomic, validated before save."""

from protection.services.conferences import (
    conference_book,
    conference_cancel,
    conference_reschedule,
    strategy_discussion_record,
    transfer_in_record,
)
from protection.services.outcomes import conference_record_outcome
from protection.services.plans import core_group_record, plan_change_category, plan_end

__all__ = [
    "conference_book",
    "conference_cancel",
    "conference_record_outcome",
    "conference_reschedule",
    "core_group_record",
    "plan_change_category",
    "plan_end",
    "strategy_discussion_record",
    "transfer_in_record",
]
