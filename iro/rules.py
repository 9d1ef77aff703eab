"""Calendar rules used everywhere: working days in England and month arithmetic.

Working days exclude Saturdays, Sundays and England and Wales bank holidays (the `holidays`
package, country GB, subdivision ENG, with substitute and one-off days). Years 1990-2060 are read
from a table built from that package (iro.bank_holidays_table, checked against it by a test), as
importing the package costs seconds per process; other years ask the package.

Convention (DESIGN.md): the day after the trigger is working day 1. The DfE CIN validator counts
the trigger day itself as day 1 (DOMAIN.md section 4), so exports state which basis they use.
"""

from calendar import monthrange
from datetime import date, datetime, timedelta
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


def meeting_after_due(meeting_day: date, due: date) -> bool:
    """A meeting set for after its due date is out of timescale and needs a recorded reason."""
    return meeting_day > due
