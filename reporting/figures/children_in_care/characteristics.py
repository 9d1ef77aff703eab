"""Who the children looked after on 31 March are (CLA-06 to CLA-09): sex, ethnicity (detailed and
broad groups) and age bands.
"""

from __future__ import annotations

from django.db.models import Case, CharField, QuerySet, Value, When

from iro import codes
from iro.codes import ETHNIC_GROUPS, Ethnicity
from reporting.figures.base import Kind, Period, Result, figure, pct
from reporting.figures.children_in_care.population import SECTION
from reporting.figures.cohorts import (
    AGE_BANDS,
    CHILD_COLUMNS,
    children_in,
    open_episodes,
    sex_key,
    with_age,
)
from reporting.figures.shares import shares_by_code
from reporting.figures.snapshot import ordered, snapshot


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
    return shares_by_code(ethnicity_on(period), codes.Ethnicity, "Ethnicity")


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
        group = GROUP_OF.get(code)
        by_group[group if group is not None and group in BROAD_GROUPS else "Other"] += n
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
        qs = qs.filter(band=cell)  # type: ignore[misc]
    return children_in(qs)
