"""Age bands: the one definition that the child list, the figures and the data generator use.

The bands of the DfE's tables of children looked after and of child protection plans (under 1,
1-4, 5-9, 10-15, 16 and over), and "unborn" for a child protection plan made before birth (no
date of birth yet, or one still to come). A child's age is in whole years on a day, a birthday
counted from the same date in the month (`iro.rules.add_months`; 29 February from 28 February in
a common year), as PostgreSQL's ``age()`` counts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, CharField, Q, Value, When

from iro.rules import add_months


@dataclass(frozen=True)
class AgeBand:
    code: str  # the key of a figure's breakdown, as the DfE tables head the column
    label: str  # as a person reads it
    low: int  # whole years, inclusive
    high: int | None  # whole years, exclusive; None: no upper bound


AGE_BANDS: tuple[AgeBand, ...] = (
    AgeBand("under 1", "Under 1", 0, 1),
    AgeBand("1-4", "1 to 4", 1, 5),
    AgeBand("5-9", "5 to 9", 5, 10),
    AgeBand("10-15", "10 to 15", 10, 16),
    AgeBand("16+", "16 and over", 16, None),
)
UNBORN = AgeBand("unborn", "Unborn", -1, 0)
AGE_BAND_CODES: list[str] = [band.code for band in AGE_BANDS]
BY_CODE: dict[str, AgeBand] = {band.code: band for band in (UNBORN, *AGE_BANDS)}


def band_of_age(age: int) -> str:
    """The code of the band of a whole-years age."""
    return next(b.code for b in AGE_BANDS if b.high is None or age < b.high)


def age_case(age_field: str) -> Case:
    """SQL: the band code of an annotated whole-years age (`age_field`)."""
    return Case(
        *[
            When(**{f"{age_field}__lt": b.high}, then=Value(b.code))
            for b in AGE_BANDS
            if b.high is not None
        ],
        default=Value(AGE_BANDS[-1].code),
        output_field=CharField(),
    )


def age_sql(age_column: str) -> str:
    """The same as a CASE expression in SQL text, for a hand-written statement."""
    whens = " ".join(
        f"WHEN {age_column} < {b.high} THEN '{b.code}'" for b in AGE_BANDS if b.high is not None
    )
    return f"CASE {whens} ELSE '{AGE_BANDS[-1].code}' END"


def _born_by(on: date, years: int) -> date:
    """The latest date of birth of someone aged at least `years` on `on`."""
    return add_months(on, -12 * years)


def date_of_birth_case(on: date, dob: str = "date_of_birth") -> Case:
    """SQL: the band code, "unborn" included, of a child on `on` from their date of birth."""
    return Case(
        When(**{f"{dob}__isnull": True}, then=Value(UNBORN.code)),
        When(**{f"{dob}__gt": on}, then=Value(UNBORN.code)),
        *[
            When(**{f"{dob}__gt": _born_by(on, b.high)}, then=Value(b.code))
            for b in AGE_BANDS
            if b.high is not None
        ],
        default=Value(AGE_BANDS[-1].code),
        output_field=CharField(),
    )


def in_band(code: str, on: date, dob: str = "date_of_birth") -> Q:
    """Children whose band on `on` is `code` (date_of_birth_case's answer, as a filter)."""
    if code == UNBORN.code:
        return Q(**{f"{dob}__isnull": True}) | Q(**{f"{dob}__gt": on})
    band = BY_CODE[code]
    q = Q(**{f"{dob}__lte": _born_by(on, band.low)})
    if band.high is not None:
        q &= Q(**{f"{dob}__gt": _born_by(on, band.high)})
    return q


def band_on(date_of_birth: date | None, on: date) -> str:
    """The band code, "unborn" included, of a child born on `date_of_birth` on the day `on`:
    date_of_birth_case's answer for one child, in Python."""
    if date_of_birth is None or date_of_birth > on:
        return UNBORN.code
    for band in AGE_BANDS:
        if band.high is not None and date_of_birth > _born_by(on, band.high):
            return band.code
    return AGE_BANDS[-1].code
