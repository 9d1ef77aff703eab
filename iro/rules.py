"""Calendar rules used everywhere: working days in England and month arithmetic.

Working days exclude Saturdays, Sundays and England and Wales bank holidays (the `holidays`
package, country GB, subdivision ENG, with substitute and one-off days). Years 1990-2060 are read
from a table built from that package (iro.bank_holidays_table, checked against it by a test), as
importing the package costs seconds per process; other years ask the package.

Convention (docs/rules.md section 4): the day after the trigger is working day 1. The DfE CIN validator counts
the trigger day itself as day 1 (docs/rules.md section 4), so exports state which basis they use.
"""

import math
from calendar import monthrange
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from iro.bank_holidays_table import holidays_in

BASIS = "The day after the trigger date is working day 1; weekends and England bank holidays are excluded."


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    table = holidays_in(year)
    if table is not None:
        return table
    import holidays

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


# Pure functions of their arguments, called for every row of the schedules, lists and generators:
# cached.
@lru_cache(maxsize=1 << 16)
def add_working_days(start: date, days: int) -> date:
    """The date that is `days` working days after `start` (the day after `start` is day 1).

    With days = 0 the result is `start` itself. Negative `days` count backwards: the result is
    the date from which `start` is `-days` working days later, when `start` is a working day.
    """
    if days == 0:
        return start
    step = 1 if days > 0 else -1
    remaining = abs(days)
    current = start
    while remaining:
        current += timedelta(days=step)
        if is_working_day(current):
            remaining -= 1
    return current


@lru_cache(maxsize=8192)
def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is earlier.

    working_days_between(d, add_working_days(d, n)) == n for every n >= 0.
    """
    if end == start:
        return 0
    if end < start:
        return -working_days_between(end, start)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def add_months(start: date, months: int) -> date:
    """Same day number `months` later, clamped to the end of a shorter month (31 Aug + 6 = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, monthrange(year, month)[1])
    return date(year, month, day)


def add_weeks(start: date, weeks: int) -> date:
    return start + timedelta(weeks=weeks)


def financial_year_start(day: date) -> date:
    """1 April of the reporting year (April to March) that contains `day`."""
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def age_on(date_of_birth: date, on: date) -> int:
    """Age in whole years on a date (a 29 February birthday turns over on 1 March)."""
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def hours_between(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 3600


def booking_deadline(due: date, lead_working_days: int = 10) -> date:
    """Last day to book a meeting due on `due` and still meet the service's booking target.

    The target is booking at least `lead_working_days` (default 10, i.e. two weeks) working days
    before the due date: the deadline is the date from which `due` is that many working days on.
    """
    return add_working_days(due, -lead_working_days)


def is_late_booking(booked_on: date, due: date, lead_working_days: int = 10) -> bool:
    """True when a booking made on `booked_on` misses the booking target for `due`."""
    return booked_on > booking_deadline(due, lead_working_days)


def booking_advice(*, due: date, book_by: date, today: date) -> str:
    """What to say about booking a meeting that is due and not booked, on `today`.

    "Book by <date>" only while that date is still ahead and before the due date; once the
    book-by date has passed (or falls after the due date, as when a conference becomes due at
    short notice): "Book now, due <date>", and after the due date "Overdue, due <date>". A
    book-by date later than the due date is never shown as the target.
    """
    if today > due:
        return f"Overdue, due {due:%-d %b %Y}"
    if book_by < today or book_by > due:
        return f"Book now, due {due:%-d %b %Y}"
    return f"Book by {book_by:%-d %b %Y}"


def meeting_after_due(meeting_day: date, due: date) -> bool:
    """A meeting set for after its due date is out of timescale and needs a recorded reason."""
    return meeting_day > due


# --- Postcodes and placement distance (SSDA903 PL_DISTANCE) -------------------------------------

METRES_PER_MILE_DFE = 1609.3  # DfE guidance divides kilometres by 1.6093


def normalise_postcode(value: str) -> str:
    """A postcode in its usual written form: upper case, one space before the inward code.

    "tw107ea", "TW10 7EA" and " TW10  7EA " all give "TW10 7EA". Anything too short to be a
    postcode comes back upper-cased with spaces removed.
    """
    compact = "".join(value.split()).upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def grid_distance_miles(home: tuple[int, int], placement: tuple[int, int]) -> Decimal:
    """Straight-line distance in miles between two OS grid references (easting, northing), to 1 dp.

    The SSDA903 PL_DISTANCE formula (docs/rules.md section 3.1): sqrt(dE^2 + dN^2) / 1000 / 1.6093, rounded
    half up to one decimal place.
    """
    metres = math.hypot(home[0] - placement[0], home[1] - placement[1])
    miles = Decimal(str(metres / METRES_PER_MILE_DFE))
    return miles.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# The flag every list of meetings shows for a meeting set for after its due date.
LATE_FLAG = "Late: after the due date"


def meeting_is_late(meeting, due: date) -> bool:
    """True when a meeting (booked or held, not cancelled) is on a day after `due`: the flag
    "late" shown wherever meetings are listed (home panels, my work, schedule, child record)."""
    from django.utils import timezone

    if meeting is None or meeting.status == "cancelled":
        return False
    return meeting_after_due(timezone.localdate(meeting.starts_at), due)


# --- Sane bounds for dates typed into forms and the API (applied by iro.date_bounds) ----------

# Meetings are booked at most this far ahead; recommendations are due within this of the review.
BOOKING_HORIZON_MONTHS = 12
RECOMMENDATION_HORIZON_MONTHS = 12
# Office hours for meetings: a start before 08:00 or from 18:00 is out of hours (a warning).
OFFICE_OPENS_HOUR = 8
OFFICE_CLOSES_HOUR = 18


def latest_booking_day(today: date) -> date:
    return add_months(today, BOOKING_HORIZON_MONTHS)


def latest_recommendation_due(review_day: date) -> date:
    return add_months(review_day, RECOMMENDATION_HORIZON_MONTHS)


def booking_time_warnings(starts_at: datetime) -> list[str]:
    """Reasons to double-check a meeting time: a weekend, a bank holiday, out of office hours.

    `starts_at` is local time. These are warnings the user confirms, not refusals: a review can
    rightly be held at a weekend or in the evening for a child at school or a parent at work.
    """
    day = starts_at.date()
    warnings = []
    if day.weekday() >= 5:
        warnings.append(f"{day:%-d %B %Y} is a {day:%A}")
    elif is_bank_holiday(day):
        import holidays  # only for the holiday's name: the package is slow to import

        name = holidays.country_holidays("GB", subdiv="ENG", years=day.year).get(day)
        warnings.append(f"{day:%-d %B %Y} is a bank holiday ({name})")
    if not (OFFICE_OPENS_HOUR <= starts_at.hour < OFFICE_CLOSES_HOUR):
        warnings.append(
            f"{starts_at:%H:%M} is outside office hours "
            f"({OFFICE_OPENS_HOUR:02d}:00 to {OFFICE_CLOSES_HOUR:02d}:00)"
        )
    return warnings
