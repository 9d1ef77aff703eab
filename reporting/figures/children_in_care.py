"""Area 1 of the figure catalogue (docs/figures.md): children in care, population and demographics (CLA-01 to CLA-15).

Base sets and the definitions of "looked after", "starter", "leaver" and age bands are in
``reporting.figures.cohorts``. Snapshot figures ("on 31 March") use the end of the period.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When

from iro import codes
from iro.codes import ETHNIC_GROUPS, CategoryOfNeed, Ethnicity
from iro.models import CareEpisode, Child
from iro.rules import add_months
from reporting.figures.base import Kind, Period, Result, figure, pct, rate_per_10k
from reporting.figures.cohorts import (
    AGE_BANDS,
    CHILD_COLUMNS,
    EPISODE_COLUMNS,
    children_in,
    first_on_file_subquery,
    looked_after_ids,
    open_episodes,
    period_start_subquery,
    sex_key,
    starters,
    with_age,
)
from reporting.figures.context import area_populations, benchmarks, population_0_17
from reporting.figures.snapshot import ordered, snapshot, starters_summary

# Re-exported for figures elsewhere that count the same children.
__all__ = ["looked_after_ids"]

SECTION = "children_in_care"


def _looked_after(period: Period) -> QuerySet[Child]:
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
    return _looked_after(period)


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
    qs = _looked_after(period)
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


# --- CLA-06: sex ------------------------------------------------------------------------------


@figure(
    "CLA-06",
    title="Boys among children looked after on 31 March",
    kind=Kind.PCT,
    section=SECTION,
    unit="%",
    covers="on 31 March",
    better="neither",
    labels=codes.Sex,
)
def sex_31_march(period: Period) -> Result:
    """Percentage of children looked after on 31 March who are male (value), with counts by
    sex (M, F, U; the codes 1 and 2 used before 2024/25 read as M and F). The denominator is
    every child looked after, including sex not known (U)."""
    by_sex = ordered(snapshot(period)["sex"], ["M", "F", "U"])
    total = sum(by_sex.values())
    return Result(
        value=pct(by_sex["M"], total),
        numerator=by_sex["M"],
        denominator=total,
        breakdown=by_sex,
    )


@sex_31_march.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    qs = open_episodes(period.end).annotate(k=sex_key())
    if cell in (None, "M", "F", "U"):
        qs = qs.filter(k=cell or "M")
    return children_in(qs)


# --- CLA-07 / CLA-08: ethnicity ---------------------------------------------------------------

GROUP_OF = {code: group for group, codes in ETHNIC_GROUPS.items() for code in codes}
BROAD_GROUPS = ["White", "Mixed", "Asian or Asian British", "Black or Black British", "Other"]


def _broad_group() -> Case:
    """Five groups as DAR and BCT print them; "Other" holds Chinese, any other group, refused
    and not yet obtained."""
    return Case(
        *[
            When(child__ethnicity__in=ETHNIC_GROUPS[g], then=Value(g))
            for g in BROAD_GROUPS
            if g in ETHNIC_GROUPS
        ],
        default=Value("Other"),
        output_field=CharField(),
    )


def ethnicity_on(period: Period) -> dict[str, int]:
    return ordered(snapshot(period)["ethnicity"], [e.value for e in Ethnicity])


@figure(
    "CLA-07",
    title="Ethnicity of children looked after on 31 March",
    kind=Kind.COUNT,
    section=SECTION,
    unit="children",
    covers="on 31 March",
    better="neither",
    labels=codes.Ethnicity,
)
def ethnicity_detailed(period: Period) -> Result:
    """Children looked after on 31 March by 903 ethnicity code (breakdown, every code in order,
    zeros kept); value = all children looked after. The table gives each code's share."""
    by_code = ethnicity_on(period)
    total = sum(by_code.values())
    return Result(
        value=total,
        breakdown=by_code,
        columns=["Ethnicity", "Children", "%"],
        table=[
            [codes.code_label(codes.Ethnicity, c), n, pct(n, total)] for c, n in by_code.items()
        ],
    )


@ethnicity_detailed.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    qs = open_episodes(period.end)
    if cell is not None:
        qs = qs.filter(child__ethnicity=cell)
    return children_in(qs)


@figure(
    "CLA-08",
    title="Ethnic groups of children looked after on 31 March",
    kind=Kind.PCT,
    section=SECTION,
    unit="%",
    covers="on 31 March",
    better="neither",
)
def ethnicity_broad(period: Period) -> Result:
    """Children looked after on 31 March in five broad groups (White, Mixed, Asian or Asian
    British, Black or Black British, Other; refused and not obtained count as Other), as counts
    (breakdown) and shares (table). Value: the percentage from a minority ethnic group (every
    group but White, with refused and not obtained left out of both sides)."""
    by_code = ethnicity_on(period)
    by_group = {g: 0 for g in BROAD_GROUPS}
    for code, n in by_code.items():
        by_group[GROUP_OF.get(code) if GROUP_OF.get(code) in BROAD_GROUPS else "Other"] += n
    total = sum(by_group.values())
    unknown = by_code["REFU"] + by_code["NOBT"]
    known = total - unknown
    minority = known - by_group["White"]
    return Result(
        value=pct(minority, known),
        numerator=minority,
        denominator=known,
        breakdown=by_group,
        columns=["Group", "Children", "%"],
        table=[[g, n, pct(n, total)] for g, n in by_group.items()],
    )


@ethnicity_broad.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    qs = open_episodes(period.end).annotate(g=_broad_group())
    known = qs.exclude(child__ethnicity__in=["REFU", "NOBT"])
    if cell is None:
        return children_in(known.exclude(g="White"))
    if cell == "denominator":
        return children_in(known)
    return children_in(qs.filter(g=cell))


# --- CLA-09: age bands ------------------------------------------------------------------------


@figure(
    "CLA-09",
    title="Age of children looked after on 31 March",
    kind=Kind.COUNT,
    section=SECTION,
    unit="children",
    covers="on 31 March",
    better="neither",
)
def age_bands(period: Period) -> Result:
    """Children looked after on 31 March by age on that day, in the DfE bands under 1, 1-4,
    5-9, 10-15 and 16+; value = all of them. The table adds each band's share."""
    bands = ordered(snapshot(period)["band"], AGE_BANDS)
    total = sum(bands.values())
    return Result(
        value=total,
        breakdown=bands,
        columns=["Age", "Children", "%"],
        table=[[b, n, pct(n, total)] for b, n in bands.items()],
    )


@age_bands.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    qs = with_age(open_episodes(period.end), period.end)
    if cell is not None:
        qs = qs.filter(band=cell)
    return children_in(qs)


# --- CLA-10 / 11 / 12: starters ---------------------------------------------------------------


@figure(
    "CLA-10",
    title="Children starting to be looked after",
    kind=Kind.COUNT,
    section=SECTION,
    unit="children",
    better="neither",
    labels=codes.Sex,
)
def starters_count(period: Period) -> Result:
    """Children whose period of care started in the period (an RNE = S episode, not a short
    break; a new placement or legal status is not a start). A child who started twice is
    counted once. Breakdown: by sex (M/F/U); the table adds shares."""
    by_sex = ordered(starters_summary(period)["sex"], ["M", "F", "U"])
    total = sum(by_sex.values())
    return Result(
        value=total,
        breakdown=by_sex,
        columns=["Sex", "Children", "%"],
        table=[[k, n, pct(n, total)] for k, n in by_sex.items()],
    )


@starters_count.rows(columns=EPISODE_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = starters(period).annotate(k=sex_key())
    if cell is not None:
        qs = qs.filter(k=cell)
    return qs.order_by("start", "pk")


@figure(
    "CLA-11",
    title="Children starting to be looked after, by age",
    kind=Kind.COUNT,
    section=SECTION,
    unit="children",
    better="neither",
)
def starters_by_age(period: Period) -> Result:
    """Starters (as CLA-10) by their age on the day the period of care started, in DfE bands."""
    bands = ordered(starters_summary(period)["band"], AGE_BANDS)
    total = sum(bands.values())
    return Result(
        value=total,
        breakdown=bands,
        columns=["Age at start", "Children", "%"],
        table=[[b, n, pct(n, total)] for b, n in bands.items()],
    )


@starters_by_age.rows(columns=EPISODE_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = with_age(starters(period), "start")
    if cell is not None:
        qs = qs.filter(band=cell)
    return qs.order_by("start", "pk")


@figure(
    "CLA-12",
    title="Children starting to be looked after, by category of need",
    kind=Kind.COUNT,
    section=SECTION,
    unit="children",
    better="neither",
    labels=codes.CategoryOfNeed,
)
def starters_by_need(period: Period) -> Result:
    """Starters (as CLA-10) by the category of need (903 CIN, N1-N8) on the first episode of the
    period of care, every code in order with zeros kept."""
    by_need = ordered(starters_summary(period)["need"], [c.value for c in CategoryOfNeed])
    total = sum(by_need.values())
    return Result(
        value=total,
        breakdown=by_need,
        columns=["Category of need", "Children", "%"],
        table=[
            [codes.code_label(codes.CategoryOfNeed, c), n, pct(n, total)]
            for c, n in by_need.items()
        ],
    )


@starters_by_need.rows(columns=EPISODE_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = starters(period)
    if cell is not None:
        qs = qs.filter(category_of_need=cell)
    return qs.order_by("start", "pk")


# --- CLA-13 / 14 ------------------------------------------------------------------------------


@figure(
    "CLA-13",
    title="Children looked after on 31 March whose need was abuse or neglect",
    kind=Kind.PCT,
    section=SECTION,
    unit="%",
    covers="on 31 March",
    better="neither",
)
def abuse_or_neglect(period: Period) -> Result:
    """Percentage of children looked after on 31 March whose category of need (on the episode
    open that day; constant within a period of care) is N1, abuse or neglect."""
    snap = snapshot(period)
    n, d = snap["need"]["N1"], snap["all"][""]
    return Result(value=pct(n, d), numerator=n, denominator=d)


@abuse_or_neglect.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    qs = open_episodes(period.end)
    if cell != "denominator":
        qs = qs.filter(category_of_need="N1")
    return children_in(qs)


def _uasc(day: date) -> QuerySet[Child]:
    return _looked_after(Period(day, day)).filter(
        Q(uasc=True) & (Q(uasc_ceased__isnull=True) | Q(uasc_ceased__gt=day))
    )


@figure(
    "CLA-14",
    title="Unaccompanied asylum-seeking children looked after on 31 March",
    kind=Kind.COUNT,
    section=SECTION,
    unit="children",
    covers="on 31 March",
    better="neither",
)
def uasc_count(period: Period) -> Result:
    """Children looked after on 31 March recorded as unaccompanied asylum-seeking children whose
    UASC status had not ceased by that day (903 UASC file: DUC, the date it ceased)."""
    return Result(value=snapshot(period)["uasc"][""])


@uasc_count.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    return _uasc(period.end)


# --- CLA-15: time in care ---------------------------------------------------------------------

TIME_BANDS = [
    "under 1 year",
    "1 to under 3 years",
    "3 to under 5 years",
    "5 years or more",
    "start unknown",
]


def _time_in_care(day: date) -> QuerySet[CareEpisode]:
    one, three, five = (add_months(day, -12 * n) for n in (1, 3, 5))
    return (
        with_age(open_episodes(day), day)
        .annotate(period_start=period_start_subquery(), first_on_file=first_on_file_subquery())
        .annotate(
            length=Case(
                When(
                    period_start__isnull=True,
                    first_on_file__lte=five,
                    then=Value(TIME_BANDS[3]),
                ),
                When(period_start__isnull=True, then=Value(TIME_BANDS[4])),
                When(period_start__gt=one, then=Value(TIME_BANDS[0])),
                When(period_start__gt=three, then=Value(TIME_BANDS[1])),
                When(period_start__gt=five, then=Value(TIME_BANDS[2])),
                default=Value(TIME_BANDS[3]),
                output_field=CharField(),
            )
        )
    )


@figure(
    "CLA-15",
    title="Time in care of children looked after on 31 March",
    kind=Kind.COUNT,
    section=SECTION,
    unit="children",
    covers="on 31 March",
    better="neither",
)
def time_in_care(period: Period) -> Result:
    """CLA-15: children looked after on 31 March by how long their current period of care had
    lasted that day (from the start of the period, the latest RNE = S episode; a child who
    entered care exactly a year before is in "1 to under 3 years"). The table adds the shares
    BCT quotes: 3 years or more, 5 years or more, and 5 years or more among children under 10.

    Periods that began before the earliest data (no RNE = S episode on file: the reading is in
    reporting.figures.cohorts.first_on_file_subquery) are never dropped nor put in the top band
    by default: the first episode on file is a lower bound of the start, so a child on file for
    5 years or more is in "5 years or more" (and in "3 years or more"); every other such child is
    in the "start unknown" band. The table and the note say how many periods began before the
    data."""
    snap = snapshot(period)
    bands = ordered(snap["time"], TIME_BANDS)
    total = sum(bands.values())
    five_under_10 = snap["time_5_under_10"][""]
    three_plus = snap["time_3_plus"][""]
    before_data = snap["time_before_data"][""]
    return Result(
        value=total,
        breakdown=bands,
        columns=["Time in care", "Children", "%"],
        table=[
            *[[b, n, pct(n, total)] for b, n in bands.items()],
            ["3 years or more", three_plus, pct(three_plus, total)],
            ["5 years or more, aged under 10", five_under_10, pct(five_under_10, total)],
            [
                "period of care began before the earliest data held",
                before_data,
                pct(before_data, total),
            ],
        ],
        note=(
            f"{before_data} of these periods of care began before the earliest data held; "
            "their time on file is a lower bound, used where it decides the band."
            if before_data
            else ""
        ),
    )


@time_in_care.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    qs = _time_in_care(period.end)
    if cell is not None:
        qs = qs.filter(length=cell)
    return children_in(qs)
