"""Working days in SQL without a series per row: arithmetic for weekdays, a binary search of the
bank holidays (``width_bucket`` over the sorted array) for the holidays. The holidays go to the
server as day numbers (days since 1900-01-01, an integer array) rather than dates: the same
order, so the same bucket, at half the query text and a cheaper parse.

``WorkingDays(a, b)`` equals ``iro.rules.working_days_between(a, b)``: the working days after
`a` up to and including `b` (the day after `a` is working day 1), negative when `b` is earlier,
NULL when either date is NULL. Weekends and England and Wales bank holidays are not working days.
"""

from datetime import date
from functools import lru_cache

from django.db.models import Func, IntegerField

from iro.rules import _bank_holidays

EPOCH = date(1900, 1, 1)  # a Monday


@lru_cache(maxsize=1)
def weekday_holidays() -> tuple[date, ...]:
    days: set[date] = set()
    for year in range(1990, 2061):
        days |= {d for d in _bank_holidays(year) if d.weekday() < 5}
    return tuple(sorted(days))


@lru_cache(maxsize=1)
def weekday_holiday_numbers() -> list[int]:
    """``weekday_holidays()`` as day numbers since EPOCH (sorted, as width_bucket needs)."""
    return [(d - EPOCH).days for d in weekday_holidays()]


@lru_cache(maxsize=1)
def holiday_array_sql() -> str:
    """The day numbers as an SQL array literal, written into the query text once per process
    rather than passed as a parameter: they are integers the service computed, never input, and
    a parameter would be turned into text again for every use in every query."""
    return "'{" + ",".join(str(n) for n in weekday_holiday_numbers()) + "}'::int[]"


class WorkingDays(Func):
    output_field = IntegerField()
    arity = 2

    def as_sql(self, compiler, connection, **extra):
        a_sql, a_params = compiler.compile(self.source_expressions[0])
        b_sql, b_params = compiler.compile(self.source_expressions[1])

        def weekdays_before(day_sql: str) -> str:
            # Weekdays in [EPOCH, day + 1): whole weeks give 5, the rest up to 5.
            n = f"(({day_sql})::date - DATE '{EPOCH.isoformat()}' + 1)"
            return f"(5 * ({n} / 7) + LEAST({n} %% 7, 5))"

        holidays = holiday_array_sql()
        epoch = f"DATE '{EPOCH.isoformat()}'"
        sql = (
            f"({weekdays_before(b_sql)} - {weekdays_before(a_sql)} - "
            f"(width_bucket(({b_sql})::date - {epoch}, {holidays})"
            f" - width_bucket(({a_sql})::date - {epoch}, {holidays})))"
        )
        params = (*b_params, *b_params, *a_params, *a_params, *b_params, *a_params)
        return sql, params


class WorkingDayNumber(Func):
    """A date's working-day number: ``WorkingDays(a, b) = WorkingDayNumber(b) -
    WorkingDayNumber(a)``. For a query that measures several intervals from one date, computing
    each date's number once (in a subquery) halves the work and the query text."""

    output_field = IntegerField()
    arity = 1

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        epoch = f"DATE '{EPOCH.isoformat()}'"
        n = f"(({sql})::date - {epoch} + 1)"
        return (
            f"(5 * ({n} / 7) + LEAST({n} %% 7, 5) - width_bucket(({sql})::date - {epoch}, "
            f"{holiday_array_sql()}))",
            (*params, *params, *params),
        )
