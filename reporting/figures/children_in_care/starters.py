"""Children who started to be looked after in the period (CLA-10 to CLA-12): how many, their
ages and their category of need.
"""

from __future__ import annotations

from django.db.models import QuerySet

from iro import codes
from iro.codes import CategoryOfNeed
from reporting.figures.base import Kind, Period, Result, figure
from reporting.figures.children_in_care.population import SECTION
from reporting.figures.cohorts import (
    AGE_BANDS,
    EPISODE_COLUMNS,
    sex_key,
    starters,
    with_age,
)
from reporting.figures.shares import shares, shares_by_code
from reporting.figures.snapshot import ordered, starters_summary


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
    return shares(ordered(starters_summary(period)["sex"], ["M", "F", "U"]), "Sex")


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
    return shares(ordered(starters_summary(period)["band"], AGE_BANDS), "Age at start")


@starters_by_age.rows(columns=EPISODE_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = with_age(starters(period), "start")
    if cell is not None:
        qs = qs.filter(band=cell)  # type: ignore[misc]
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
    return shares_by_code(by_need, codes.CategoryOfNeed, "Category of need")


@starters_by_need.rows(columns=EPISODE_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = starters(period)
    if cell is not None:
        qs = qs.filter(category_of_need=cell)
    return qs.order_by("start", "pk")
