"""The circumstances of the children looked after on 31 March (CLA-13 to CLA-15): abuse or
neglect as the category of need, unaccompanied asylum-seeking children, and time in care.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Case, CharField, Q, QuerySet, Value, When

from iro.models import CareEpisode, Child
from iro.rules import add_months
from reporting.figures.base import Kind, Period, Result, figure, pct
from reporting.figures.children_in_care.population import SECTION, looked_after_children
from reporting.figures.cohorts import (
    CHILD_COLUMNS,
    children_in,
    first_on_file_subquery,
    open_episodes,
    period_start_subquery,
    with_age,
)
from reporting.figures.snapshot import ordered, snapshot


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
    return looked_after_children(Period(day, day)).filter(
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
        qs = qs.filter(length=cell)  # type: ignore[misc]
    return children_in(qs)
