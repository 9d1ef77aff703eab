"""What a typed or loaded value may be, in one place: identifiers in their DfE format, dates within
the span of the service's records, free text of bounded length, years within the reporting span.

Model fields carry these validators, so they reach every ModelForm, every DRF ModelSerializer and
every service (each service runs `full_clean()` before saving); plain forms, serializers and the
reference-data commands call the same functions. Relative bounds (not before the child's birth,
not before the record a date follows) are in iro/date_bounds.py, which the services apply.

Every message names the field or value and says what to do.
"""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible

# --- Dates ------------------------------------------------------------------------------------

# No case record this service holds (care, review, conference, concern, allocation) can predate
# the Children Act 1989 coming into force on 14 October 1991: looked-after reviews and child
# protection conferences are made under it (docs/rules.md).
RECORDS_START = date(1991, 10, 14)
# A child looked after on that day was born at most 18 years before it.
EARLIEST_DATE_OF_BIRTH = date(1973, 10, 14)
# No date is further ahead than this: the furthest-ahead dates held are due dates, deadlines,
# bookings (12 months, iro.rules.BOOKING_HORIZON_MONTHS) and recommendation targets (12 months
# after the review).
DATE_HORIZON_YEARS = 5
# An expected date of birth is at most this many months ahead (a pregnancy).
EXPECTED_BIRTH_HORIZON_MONTHS = 10


def _day(value: date) -> str:
    return f"{value:%-d %B %Y}"


def _today() -> date:
    return timezone.localdate()


def latest_date(today: date | None = None) -> date:
    """The furthest-ahead date any field takes: DATE_HORIZON_YEARS from today."""
    from iro.rules import add_months

    return add_months(today or _today(), 12 * DATE_HORIZON_YEARS)


@deconstructible
class DateWithin:
    """A date between a fixed earliest day and a latest day relative to today.

    `what` names the field in the message ("The date raised"); `earliest` is "records" (the
    Children Act 1989 in force) or "birth" (the earliest date of birth of a child the service
    can hold); `latest` is "today", "horizon" (DATE_HORIZON_YEARS ahead) or "pregnancy".
    """

    def __init__(self, what: str, *, earliest: str = "records", latest: str = "horizon"):
        self.what = what
        self.earliest = earliest
        self.latest = latest

    def __call__(self, value):
        if value is None:
            return
        if hasattr(value, "date") and callable(value.date):  # a datetime: its local day
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        earliest = EARLIEST_DATE_OF_BIRTH if self.earliest == "birth" else RECORDS_START
        if value < earliest:
            raise ValidationError(
                f"{self.what} must be on or after {_day(earliest)}", code="date_too_early"
            )
        today = _today()
        if self.latest == "today" and value > today:
            raise ValidationError(f"{self.what} must be today or in the past", code="date_future")
        if self.latest == "pregnancy":
            from iro.rules import add_months

            latest = add_months(today, EXPECTED_BIRTH_HORIZON_MONTHS)
            if value > latest:
                raise ValidationError(
                    f"{self.what} must be within {EXPECTED_BIRTH_HORIZON_MONTHS} months, "
                    f"by {_day(latest)}",
                    code="date_too_late",
                )
        if self.latest == "horizon":
            latest = latest_date(today)
            if value > latest:
                raise ValidationError(
                    f"{self.what} must be within {DATE_HORIZON_YEARS} years, by {_day(latest)}",
                    code="date_too_late",
                )

    def __eq__(self, other):
        return isinstance(other, DateWithin) and (self.what, self.earliest, self.latest) == (
            other.what,
            other.earliest,
            other.latest,
        )


def case_date(what: str) -> list:
    """Validators of a date in a case record (RECORDS_START to DATE_HORIZON_YEARS ahead)."""
    return [DateWithin(what)]


def past_date(what: str) -> list:
    """Validators of a date that has happened (RECORDS_START to today)."""
    return [DateWithin(what, latest="today")]


# --- Identifiers ------------------------------------------------------------------------------

# The DfE's check-letter alphabet for unique pupil numbers: A-Z without I, O and S, valued 0-22
# ("Unique pupil numbers (UPN): A guide for schools and local authorities", DfE, annex).
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
UPN_FORMAT = re.compile(r"^[A-HJ-NP-RT-Z][0-9]{11}[0-9A-HJ-NP-RT-Z]$")


def upn_check_letter(upn: str) -> str:
    """The check letter of a UPN from its characters 2-13: each weighted by its position (2 to
    13), a letter in position 13 (a temporary UPN) valued by its place in UPN_LETTERS, the sum
    taken modulo 23 and read back as a letter of UPN_LETTERS."""
    total = 0
    for weight, char in enumerate(upn[1:13], start=2):
        total += weight * (int(char) if char.isdigit() else UPN_LETTERS.index(char))
    return UPN_LETTERS[total % 23]


def validate_upn(value: str) -> None:
    """A unique pupil number: 13 characters, a check letter, 11 digits, then a digit (a
    permanent UPN) or a letter (a temporary one), with the check letter the DfE's algorithm
    gives."""
    if not value:
        return
    if len(value) != 13:
        raise ValidationError(
            "The unique pupil number must be 13 characters, like A123456789012",
            code="upn_length",
        )
    if not UPN_FORMAT.match(value):
        raise ValidationError(
            "The unique pupil number must be a capital letter, 11 digits, then a digit (or a "
            "letter for a temporary UPN); the letters I, O and S are not used",
            code="upn_format",
        )
    expected = upn_check_letter(value)
    if value[0] != expected:
        raise ValidationError(
            "The unique pupil number's check letter is wrong: check the number was typed correctly",
            code="upn_check_letter",
        )


# The SSDA903 CHILD identifier: the authority's own id, up to 10 characters. The service accepts
# letters, digits and hyphens (no spaces, slashes or dots), so an id is safe in a file name, a
# URL and a spreadsheet cell.
LA_CHILD_ID_MAX_LENGTH = 10
LA_CHILD_ID_FORMAT = re.compile(r"^[A-Za-z0-9-]+$")


def validate_la_child_id(value: str) -> None:
    if value is None or value == "":
        return
    if len(value) > LA_CHILD_ID_MAX_LENGTH:
        raise ValidationError(
            f"The LA child ID must be {LA_CHILD_ID_MAX_LENGTH} characters or fewer",
            code="la_child_id_length",
        )
    if not LA_CHILD_ID_FORMAT.match(value):
        raise ValidationError(
            "The LA child ID must use only letters, digits and hyphens", code="la_child_id_format"
        )


# --- Free text --------------------------------------------------------------------------------

# Every free text a person types (notes, reasons, descriptions, decisions): at most this many
# characters, several pages of writing.
TEXT_MAX_LENGTH = 10_000


def text_too_long_message(label) -> str:
    return f"{label} must be %(limit_value)d characters or fewer (it has %(show_value)d)"


class BoundedTextField(models.TextField):
    """A TextField with a maximum length enforced everywhere: a validator (model forms, DRF,
    full_clean), the textarea's maxlength, and the column's type in the database."""

    def __init__(self, *args, max_length: int = TEXT_MAX_LENGTH, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)  # type: ignore[misc]
        self.validators.append(MaxLengthValidator(self.max_length))

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        label = str(self.verbose_name or name).strip()
        self.error_messages = {
            **self.error_messages,
            "max_length": text_too_long_message(label[:1].upper() + label[1:]),
        }

    # The column is varchar(max_length), so PostgreSQL refuses a longer value whatever writes it.
    def db_type(self, connection):
        return f"varchar({int(self.max_length)})"


# --- Reporting years --------------------------------------------------------------------------


def reporting_years(today: date | None = None) -> tuple[int, int]:
    """The span of years reference data may be entered for: from settings.REPORTING_FIRST_YEAR
    to the current calendar year (a mid-year estimate or a reporting year starting this year)."""
    return settings.REPORTING_FIRST_YEAR, (today or _today()).year


def validate_reporting_year(value) -> None:
    if value is None:
        return
    first, last = reporting_years()
    if not isinstance(value, int) or not first <= value <= last:
        raise ValidationError(
            f"The year must be between {first} and {last}, like {last - 1}",
            code="year_out_of_span",
        )


# --- Numbers in settings ------------------------------------------------------------------------


def between(low, high, what: str) -> list:
    """Validators of a setting that must lie between `low` and `high` (inclusive), with messages
    that name it."""
    from django.core.validators import MaxValueValidator, MinValueValidator

    return [
        MinValueValidator(low, f"{what} must be {low:,} or more"),
        MaxValueValidator(high, f"{what} must be {high:,} or less"),
    ]
