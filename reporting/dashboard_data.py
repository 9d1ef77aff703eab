"""The board dashboard and the monthly scorecard: their data, built from the figure library.

The board dashboard covers the reporting year to date as at a date, beside the same dates a year
earlier. The scorecard covers a rolling 13 months, a value per calendar month. Both return plain
JSON-able data (cached by the pages, frozen by a published snapshot).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Min
from django.utils import timezone

from reporting.annual_data import (
    build_entries,
    direction,
    period_data,
    rag,
    sections_of,
    targets_for,
)
from reporting.figures import REGISTRY, Period, computing
from reporting.reports import BOARD, SCORECARD, registered


def _year_earlier(day: date) -> date:
    if day.month == 2 and day.day == 29:
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def board_period(as_at: date) -> tuple[Period, Period]:
    """The reporting year to date as at `as_at`, and the same dates a year earlier."""
    start = Period.containing(as_at).start
    current = Period(start, as_at)
    previous = Period(_year_earlier(start), _year_earlier(as_at))
    return current, previous


def build_board(as_at: date | None = None) -> dict:
    as_at = as_at or timezone.localdate()
    current, previous = board_period(as_at)
    ids, missing = registered(BOARD)
    entries = build_entries(ids, current, previous_period=previous)
    for entry in entries.values():
        # A figure "on 31 March" is counted on the last day of the period: on the board, the
        # dashboard's date (IRO-01 on 7 December, not 31 March). The title says so.
        entry["title"] = entry["title"].replace("on 31 March", f"on {as_at:%-d %B %Y}")
    return {
        "kind": "dashboard",
        "title": f"Corporate Parenting Board dashboard, {as_at:%-d %B %Y}",
        "as_at_date": as_at.isoformat(),
        "period": {**period_data(current), "title": f"Year to {as_at:%-d %b %Y}"},
        "previous_period": {**period_data(previous), "title": f"Year to {previous.end:%-d %b %Y}"},
        "as_at": timezone.localtime().isoformat(timespec="seconds"),
        "sections": sections_of(entries, ids),
        "skipped": missing,
    }


def last_complete_month(today: date | None = None) -> Period:
    today = today or timezone.localdate()
    first = today.replace(day=1)
    return Period.month(first.year, first.month).previous()


def months_with_data(today: date | None = None) -> list[Period]:
    """Complete calendar months, newest first, from the month of the first care episode to the
    last complete month: the months a scorecard or a board snapshot can be chosen for."""
    from iro.models import CareEpisode

    first = CareEpisode.objects.aggregate(first=Min("start"))["first"]
    if first is None:
        return []
    month = last_complete_month(today)
    out = []
    while month.end >= first:
        out.append(month)
        month = month.previous()
    return out


def scorecard_months(end: Period, count: int = 13) -> list[Period]:
    months = [end]
    while len(months) < count:
        months.insert(0, months[0].previous())
    return months


def _monthly_values(fig, months: list[Period]) -> list:
    """The figure's value for each month: read from its monthly series for the reporting years
    the months fall in (one computation a year) when it has one covering every month, else
    computed month by month."""
    years = sorted({Period.containing(m.start) for m in months})
    series: dict = {}
    for year in years:
        series.update(fig.compute(year).months or {})
    keys = [m.label for m in months]
    if all(k in series and not isinstance(series[k], dict) for k in keys):
        return [series[k] for k in keys]
    return [fig.compute(month).as_dict().get("value") for month in months]


def build_scorecard(end: Period | None = None) -> dict:
    """A row per scorecard figure, a value per month for 13 months, with target, RAG (latest
    month) and direction of travel (latest month against the month before)."""
    end = end or last_complete_month()
    months = scorecard_months(end)
    ids, missing = registered(SCORECARD)
    targets = targets_for(ids)
    rows = []
    with computing():
        for fid in ids:
            fig = REGISTRY[fid]
            values = _monthly_values(fig, months)
            target, margin = targets[fid]
            rows.append(
                {
                    "id": fid,
                    "title": fig.title,
                    "kind": str(fig.kind),
                    "unit": fig.unit,
                    "better": str(fig.better),
                    "values": values,
                    "target": target,
                    "amber_margin": margin,
                    "rag": rag(values[-1], target, fig.better, margin),
                    "direction": direction(values[-1], values[-2], fig.better),
                }
            )
    return {
        "kind": "scorecard",
        "title": "Monthly scorecard",
        "months": [period_data(m) for m in months],
        "rows": rows,
        "skipped": missing,
        "as_at": timezone.localtime().isoformat(timespec="seconds"),
    }
