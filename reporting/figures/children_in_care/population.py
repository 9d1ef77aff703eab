"""How many children are looked after (CLA-01 to CLA-05): on 31 March, at each month end, by
locality, against England, and at any time in the year.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet

from iro.models import CareEpisode, Child
from reporting.figures.base import Kind, Period, Result, figure, rate_per_10k
from reporting.figures.cohorts import (
    CHILD_COLUMNS,
    children_in,
    looked_after_ids,
)
from reporting.figures.context import area_populations, benchmarks, population_0_17
from reporting.figures.snapshot import snapshot

SECTION = "children_in_care"


def looked_after_children(period: Period) -> QuerySet[Child]:
    return Child.objects.filter(pk__in=looked_after_ids(period.end)).order_by("la_child_id")


@figure(
    "CLA-01",
    title="Children looked after on 31 March",
    kind=Kind.COUNT,
    section=SECTION,
    unit="children",
    covers="on 31 March",
    better="neither",
)
def looked_after_31_march(period: Period) -> Result:
    """Children looked after at the end of the period (31 March for a year), with the rate per
    10,000 children aged 0-17.

    DfE basis (SSDA903, table A1): a child is counted when an episode is open at the end of the
    day; children whose only episode that day is a short break (legal status V3/V4) are not.
    """
    count = snapshot(period)["all"][""]
    population = population_0_17(period)
    return Result(
        value=count,
        numerator=count,
        denominator=population,
        breakdown={"rate per 10,000": rate_per_10k(count, population)},
    )


# The denominator is the population, not records.
looked_after_31_march.extra["denominator_rows"] = False


@looked_after_31_march.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    return looked_after_children(period)


# --- CLA-02: monthly ---------------------------------------------------------------------------


def _month_end(key: str) -> date:
    year, month = (int(p) for p in key.split("-"))
    return Period.month(year, month).end


def looked_after_by_month(period: Period) -> dict[str, int]:
    """Children looked after at each month end: read from the monthly caseload query, which
    counts them on the same rule (one query for CLA-02 and the scorecard series)."""
    from reporting.figures.staffing import caseloads_by_month

    return {key: row["in_care"] for key, row in caseloads_by_month(period).items()}


@figure(
    "CLA-02",
    title="Children looked after at each month end",
    kind=Kind.COUNT,
    section=SECTION,
    unit="children",
    covers="each month end",
    better="neither",
)
def looked_after_by_month_end(period: Period) -> Result:
    """Children looked after at the end of the last day of each month of the period (same rule
    as CLA-01: short breaks V3/V4 left out), with the rate per 10,000 children aged 0-17 (the
    year's population). One query over generate_series of month ends, shared with IRO-02. The value is the number
    at the last month end. (M24's caption calls this "becoming cared for"; it is the number in
    care.)"""
    months = looked_after_by_month(period)
    population = population_0_17(period)
    return Result(
        value=months[period.month_keys[-1]] if months else None,
        months=months,
        columns=["Month", "Children looked after", "Rate per 10,000"],
        table=[[k, n, rate_per_10k(n, population)] for k, n in months.items()],
    )


@looked_after_by_month_end.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    day = _month_end(cell) if cell and cell[:4].isdigit() else period.end
    return Child.objects.filter(pk__in=looked_after_ids(day)).order_by("la_child_id")


# --- CLA-03: rate by locality -----------------------------------------------------------------


@figure(
    "CLA-03",
    title="Children looked after per 10,000 by locality",
    kind=Kind.RATE,
    section=SECTION,
    unit="per 10,000",
    covers="on 31 March",
    better="neither",
)
def rate_by_locality(period: Period) -> Result:
    """Children looked after on 31 March per 10,000 children aged 0-17, for the authority
    (value) and each locality (breakdown: the child's area; the area's own population). A child
    with no area counts in the authority's rate only. Population: reporting.Population, the
    latest mid-year estimate no later than the year the period ends in. England, region and
    statistical neighbour rates are the loaded benchmarks of this figure (``benchmarks``)."""
    snap = snapshot(period)
    total = snap["all"][""]
    population = population_0_17(period)
    table, rates = [], {}
    for area_id, name, area_population in area_populations(period):
        n = snap["area"].get(str(area_id), 0)
        rates[name] = rate_per_10k(n, area_population)
        table.append([name, n, area_population, rates[name]])
    table.append(["Authority", total, population, rate_per_10k(total, population)])
    return Result(
        value=rate_per_10k(total, population),
        numerator=total,
        denominator=population,
        breakdown=rates,
        columns=["Area", "Children looked after", "Population 0-17", "Rate per 10,000"],
        table=table,
        note="Benchmarks: " + _benchmark_note("CLA-03", period),
    )


def _benchmark_note(figure_id: str, period: Period) -> str:
    values = benchmarks(figure_id, period)
    if not values:
        return "none loaded"
    return ", ".join(f"{scope} {value:g}" for scope, value in values.items())


rate_by_locality.extra["denominator_rows"] = False


@rate_by_locality.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    qs = looked_after_children(period)
    if cell not in (None, "denominator"):
        qs = qs.filter(area__name=cell)
    return qs


# --- CLA-04: benchmark context (EXT) ----------------------------------------------------------


@figure(
    "CLA-04",
    title="Children looked after in England (benchmark)",
    kind=Kind.EXT,
    section=SECTION,
    unit="children",
    covers="on 31 March",
    better="neither",
)
def england_context(period: Period) -> Result:
    """Imported, never computed: the England (and, where loaded, region and statistical
    neighbour) number of children looked after on 31 March, from reporting.Benchmark rows for
    CLA-04 and the period's year (load them with ``manage.py load_benchmarks``). Value: the
    England figure; breakdown: every loaded scope."""
    values = benchmarks("CLA-04", period)
    return Result(value=values.get("england"), breakdown=values or None)


# --- CLA-05: at any time in the year ----------------------------------------------------------


def _any_time(period: Period) -> QuerySet[CareEpisode]:
    return (
        CareEpisode.objects.filter(start__lte=period.end)
        .filter(Q(end__isnull=True) | Q(end__gte=period.start))
        .exclude(legal_status__in=["V3", "V4"])
    )


@figure(
    "CLA-05",
    title="Children looked after at any time in the year",
    kind=Kind.COUNT,
    section=SECTION,
    unit="children",
    better="neither",
)
def looked_after_any_time(period: Period) -> Result:
    """Distinct children with an episode (not a short break, V3/V4) overlapping the period: it
    starts on or before the last day and has no end or ends on or after the first day (a child
    who leaves on 1 April was looked after on that day)."""
    count = _any_time(period).aggregate(n=Count("child_id", distinct=True))["n"]
    return Result(value=count)


@looked_after_any_time.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    return children_in(_any_time(period))
