"""Small helpers the area modules share: monthly series and breakdowns from one grouped query."""

from datetime import date
from typing import TypeGuard

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from reporting.figures.base import Period, pct


def month_key(day: date) -> str:
    return f"{day:%Y-%m}"


def month_bounds(key: str) -> tuple[date, date]:
    """The first and last day of the month keyed ``YYYY-MM``."""
    year, month = (int(part) for part in key.split("-"))
    month_period = Period.month(year, month)
    return month_period.start, month_period.end


def is_month_key(cell: str | None) -> TypeGuard[str]:
    """Whether a drill-down cell is a month (``YYYY-MM``) of a monthly series."""
    return cell is not None and len(cell) == 7 and cell[4] == "-" and cell[:4].isdigit()


def monthly_counts(qs: QuerySet, date_field: str, period: Period) -> dict[str, int]:
    """Rows of `qs` per calendar month of `period` by `date_field` (every month, zeros too)."""
    rows = (
        qs.order_by()
        .annotate(_month=TruncMonth(date_field))
        .values("_month")
        .annotate(_n=Count("pk"))
        .values_list("_month", "_n")
    )
    found = {month_key(month): n for month, n in rows}
    return {key: found.get(key, 0) for key in period.month_keys}


def monthly_pct(
    qs: QuerySet, date_field: str, condition: Q, period: Period
) -> dict[str, float | None]:
    """Percentage of rows meeting `condition` per month of `period` (months with none: None)."""
    rows = (
        qs.order_by()
        .annotate(_month=TruncMonth(date_field))
        .values("_month")
        .annotate(_n=Count("pk"), _yes=Count("pk", filter=condition))
        .values_list("_month", "_n", "_yes")
    )
    found = {month_key(month): pct(yes, n) for month, n, yes in rows}
    return {key: found.get(key) for key in period.month_keys}


def counts_by(qs: QuerySet, field: str, keys: list[str] | None = None) -> dict[str, int]:
    """Rows of `qs` per value of `field`, in the order of `keys` (zeros kept) when given."""
    found = dict(qs.order_by().values(field).annotate(_n=Count("pk")).values_list(field, "_n"))
    if keys is None:
        return {str(k): v for k, v in sorted(found.items(), key=lambda kv: -kv[1])}
    return {key: found.get(key, 0) for key in keys}
