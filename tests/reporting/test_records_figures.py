"""REC-01: working days from the review to each step of the record, across bank holidays."""

from datetime import date, timedelta

import pytest
from django.db.models import DateField, Value

from iro.models import Child
from iro.rules import working_days_between
from reporting.figures import Period, get_figure
from reporting.figures.workdays import WorkingDays
from tests.iro.factories import ChildFactory
from tests.reporting.helpers import assert_rows_add_up, rows_count
from tests.reviews.factories import held_review

pytestmark = pytest.mark.django_db
YEAR = Period.year(2024)


def test_rec_01_means_count_working_days_without_christmas_or_may_bank_holidays(iro_allocated):
    # Held Thu 19 Dec 2024: 25 and 26 Dec and 1 Jan are bank holidays.
    # Manager told Mon 30 Dec = 5 working days; completed Fri 10 Jan = 13; sent Mon 20 Jan = 19.
    held_review(
        chair=iro_allocated, held_on=date(2024, 12, 19), due_date=date(2024, 12, 20),
        manager_informed_on=date(2024, 12, 30), record_completed_on=date(2025, 1, 10),
        record_distributed_on=date(2025, 1, 20),
    )  # fmt: skip
    # Held Mon 15 Apr 2024: manager told Wed 24 Apr = 7 (late); no completion date; sent
    # Tue 14 May = 20 working days (Mon 6 May, the early May bank holiday, not counted).
    held_review(
        chair=iro_allocated, held_on=date(2024, 4, 15), due_date=date(2024, 4, 20),
        manager_informed_on=date(2024, 4, 24), record_distributed_on=date(2024, 5, 14),
    )  # fmt: skip
    # Held in 2023/24: not counted.
    held_review(
        chair=iro_allocated, held_on=date(2024, 3, 1), due_date=date(2024, 3, 2),
        manager_informed_on=date(2024, 3, 29),
    )  # fmt: skip
    result = get_figure("REC-01").compute(YEAR)
    assert result.breakdown == {
        "manager informed": 6.0, "record completed": 13.0, "record distributed": 19.5,
    }  # fmt: skip
    assert result.value == 19.5
    assert result.table == [
        ["manager informed", 5, 6.0, 2, 1, 50.0],
        ["record completed", 15, 13.0, 1, 1, 100.0],
        ["record distributed", 20, 19.5, 2, 2, 100.0],
    ]
    assert rows_count("REC-01", YEAR) == 2
    assert rows_count("REC-01", YEAR, "record completed") == 1
    assert_rows_add_up("REC-01", YEAR)


def test_working_days_in_sql_match_the_calendar_rule_on_every_pair_around_holidays(db):
    """WorkingDays (arithmetic and a binary search of the bank holidays) against
    iro.rules.working_days_between on every pair of days in a window with Christmas, New Year,
    Easter and the early May holiday, both ways round."""
    child = ChildFactory()
    days = [date(2024, 12, 20) + timedelta(days=n) for n in range(0, 140, 3)]
    pairs = [(a, b) for a in days for b in days]
    for first in range(0, len(pairs), 250):
        chunk = pairs[first : first + 250]
        got = Child.objects.filter(pk=child.pk).values(
            **{
                f"p{i}": WorkingDays(Value(a, DateField()), Value(b, DateField()))
                for i, (a, b) in enumerate(chunk)
            }
        )[0]
        for i, (a, b) in enumerate(chunk):
            assert got[f"p{i}"] == working_days_between(a, b), (a, b)
