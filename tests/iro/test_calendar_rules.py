"""Working days and month arithmetic, from worked examples across England's bank holidays."""

from datetime import date

import pytest

from iro.rules import (
    add_months,
    add_working_days,
    age_on,
    booking_deadline,
    financial_year_start,
    is_late_booking,
    is_working_day,
    working_days_between,
)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Child enters care on Friday 28 April 2023: early May (1 May), the coronation (8 May)
        # and the spring bank holiday (29 May) all fall inside the 20 working days.
        (date(2023, 4, 28), 20, date(2023, 5, 31)),
        # DfE validator example: 17 April 2025 + 15 is 12 May when the start is day 1; on our
        # basis (the day after is day 1) it is 13 May. Good Friday 18 and Easter Monday 21 April.
        (date(2025, 4, 17), 15, date(2025, 5, 13)),
        # Christmas 2025: 25 and 26 December, then 1 January 2026.
        (date(2025, 12, 19), 5, date(2025, 12, 30)),
        (date(2025, 12, 19), 7, date(2026, 1, 2)),
        # Christmas 2021 fell on a weekend: substitute days 27 and 28 December.
        (date(2021, 12, 24), 1, date(2021, 12, 29)),
        # The Queen's funeral, 19 September 2022, a one-off bank holiday.
        (date(2022, 9, 16), 1, date(2022, 9, 20)),
        # A Saturday trigger: Monday is day 1.
        (date(2024, 6, 1), 1, date(2024, 6, 3)),
        (date(2024, 6, 3), 0, date(2024, 6, 3)),
    ],
)
def test_add_working_days(start, days, expected):
    assert add_working_days(start, days) == expected
    assert working_days_between(start, expected) == days


def test_bank_holidays_and_weekends_are_not_working_days():
    assert not is_working_day(date(2023, 5, 8))  # coronation
    assert not is_working_day(date(2024, 12, 25))
    assert not is_working_day(date(2024, 6, 1))  # Saturday
    assert is_working_day(date(2024, 6, 3))


def test_working_days_between_is_negative_backwards():
    assert working_days_between(date(2023, 5, 31), date(2023, 4, 28)) == -20


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # leap year
        (date(2024, 1, 31), 3, date(2024, 4, 30)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
        (date(2024, 5, 15), 6, date(2024, 11, 15)),
        (date(2024, 10, 10), 3, date(2025, 1, 10)),
    ],
)
def test_add_months_keeps_the_day_clamped_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_booking_deadline_is_ten_working_days_before_due():
    # Due Wednesday 31 May 2023; 10 working days earlier is 16 May (spring bank holiday 29 May).
    assert booking_deadline(date(2023, 5, 31)) == date(2023, 5, 16)
    assert working_days_between(date(2023, 5, 16), date(2023, 5, 31)) == 10
    assert not is_late_booking(date(2023, 5, 16), date(2023, 5, 31))
    assert is_late_booking(date(2023, 5, 17), date(2023, 5, 31))


def test_age_and_reporting_year():
    assert age_on(date(2020, 2, 29), date(2024, 2, 28)) == 3
    assert age_on(date(2020, 2, 29), date(2024, 2, 29)) == 4
    assert financial_year_start(date(2024, 3, 31)) == date(2023, 4, 1)
    assert financial_year_start(date(2024, 4, 1)) == date(2024, 4, 1)
