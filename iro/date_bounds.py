"""Sane bounds for the dates people type, in one place, used by the services (so forms and the
API refuse the same nonsense): nothing before the child was born, nothing before the record it
follows, nothing further ahead than a stated horizon (iro.rules holds the horizons).

Each check raises a ValidationError on the named field with a message that says what to do.

These are the bounds relative to another date (a birth, a review, today). The absolute span every
date field keeps (from the Children Act 1989 coming into force to DATE_HORIZON_YEARS ahead) is on
the model fields, from iro/validators.py.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError

from iro import rules


def _day(value: date) -> str:
    return f"{value:%-d %B %Y}"


def not_in_future(field: str, value: date | None, today: date, what: str) -> None:
    if value is not None and value > today:
        raise ValidationError({field: f"{what} must be today or in the past"})


def not_before(field: str, value: date | None, earliest: date | None, what: str, since: str):
    if value is not None and earliest is not None and value < earliest:
        raise ValidationError({field: f"{what} must be on or after {since}, {_day(earliest)}"})


def not_before_birth(field: str, value: date | None, child, what: str) -> None:
    born = child.date_of_birth or child.expected_date_of_birth
    not_before(field, value, born, what, "the child's date of birth")


def care_start(child, start: date, today: date) -> None:
    """Care cannot start before birth, nor after today."""
    not_before_birth("start", start, child, "The date care started")
    not_in_future("start", start, today, "The date care started")


def allocation_start(child, start: date, today: date) -> None:
    """An allocation runs from a day in the child's life, not after today."""
    not_before_birth("start", start, child, "The allocation start date")
    not_in_future("start", start, today, "The allocation start date")


def booking_day(field: str, day: date, today: date, what: str = "The meeting date") -> None:
    """A meeting is booked at most BOOKING_HORIZON_MONTHS ahead."""
    latest = rules.latest_booking_day(today)
    if day > latest:
        raise ValidationError(
            {
                field: f"{what} must be within {rules.BOOKING_HORIZON_MONTHS} months, "
                f"by {_day(latest)}"
            }
        )


def recommendation_due(field: str, target: date, review_day: date) -> None:
    """A recommendation is due on or after its review and within the horizon after it."""
    not_before(field, target, review_day, "The target date", "the review")
    latest = rules.latest_recommendation_due(review_day)
    if target > latest:
        raise ValidationError(
            {
                field: f"The target date must be within {rules.RECOMMENDATION_HORIZON_MONTHS} "
                f"months of the review, by {_day(latest)}"
            }
        )


# The earliest date of birth the service accepts (forms, API, imports): a person born before
# 1900 cannot be a child in care or a care leaver.
EARLIEST_DATE_OF_BIRTH = date(1900, 1, 1)


def date_of_birth_problem(value: date | None, today: date) -> str | None:
    """Why a date of birth cannot be right (in the future, or before EARLIEST_DATE_OF_BIRTH),
    in words, or None. The import reports it on the row; services raise it on the field."""
    if value is None:
        return None
    if value > today:
        return f"the date of birth {_day(value)} is in the future"
    if value < EARLIEST_DATE_OF_BIRTH:
        return f"the date of birth {_day(value)} is before {_day(EARLIEST_DATE_OF_BIRTH)}"
    return None
