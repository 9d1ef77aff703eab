"""Placement stability (PLC-08, PLC-09): three or more placements in the year, and children long
in care who have been with the same carer for two years or more.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from iro.codes import (
    PLACEMENT_CHANGE_RNE,
    TEMPORARY_PLACEMENT_TYPES,
)
from iro.models import CareEpisode
from iro.rules import add_months
from reporting.figures.base import Kind, Period, Result, figure, pct
from reporting.figures.cohorts import (
    CHILD_COLUMNS,
    children_in,
    first_on_file_subquery,
    open_episodes,
    period_start_subquery,
    with_age,
)
from reporting.figures.placements.legal_status import SECTION
from reporting.figures.snapshot import snapshot


def _placements_in_year(day: date) -> QuerySet[CareEpisode]:
    """Children looked after on `day`, each with `placements`: how many placements they had in
    the 12 months to `day`."""
    window_start = add_months(day, -12) + timedelta(days=1)
    new_placements = (
        CareEpisode.objects.filter(
            child=OuterRef("child"),
            start__gte=window_start,
            start__lte=day,
            reason_new_episode__in=["S", *sorted(PLACEMENT_CHANGE_RNE)],
        )
        .exclude(placement_type__in=TEMPORARY_PLACEMENT_TYPES)
        .exclude(legal_status__in=["V3", "V4"])
        .order_by()
        .values("child")
        .annotate(n=Count("pk"))
        .values("n")
    )
    placed_at_start = CareEpisode.objects.filter(
        Q(end__isnull=True) | Q(end__gte=window_start),
        child=OuterRef("child"),
        start__lt=window_start,
    ).exclude(legal_status__in=["V3", "V4"])
    return open_episodes(day).annotate(
        placements=Coalesce(Subquery(new_placements, output_field=IntegerField()), Value(0))
        + Case(When(Exists(placed_at_start), then=Value(1)), default=Value(0))
    )


@figure(
    "PLC-08",
    title="Children looked after on 31 March with 3 or more placements in the year",
    kind=Kind.PCT,
    section=SECTION,
    unit="%",
    covers="on 31 March",
    better="lower",
)
def three_placements(period: Period) -> Result:
    """Short-term placement stability: percentage of children looked after on 31 March who had
    3 or more placements in the 12 months to that day.

    Counting (DfE's rule is not confirmed, docs/rules.md sections 5 and 7; this follows the 903's view that
    RNE P, B, T and U are placement changes): the placement held when the 12 months began (if
    the child was looked after then) counts 1, and every episode starting in the 12 months with
    RNE S, P, B, T or U counts 1 more. Temporary placements (T0-T4) and short breaks do not
    count; a change of legal status alone (RNE L) is not a placement."""
    snap = snapshot(period)
    row = {"n": snap["three_placements"][""], "d": snap["all"][""]}
    return Result(value=pct(row["n"], row["d"]), numerator=row["n"], denominator=row["d"])


@three_placements.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    qs = _placements_in_year(period.end)
    if cell != "denominator":
        qs = qs.filter(placements__gte=3)  # type: ignore[misc]
    return children_in(qs)


# --- PLC-09: long-term stability --------------------------------------------------------------


def _long_term(day: date) -> QuerySet[CareEpisode]:
    """Children under 16 looked after on `day` for 2.5 years or more, with `carer_since` (and
    `first_on_file`, the lower bound of both where the period began before the data)."""
    carer_since = Subquery(
        CareEpisode.objects.filter(
            child=OuterRef("child"),
            reason_new_episode__in=["S", "P", "B"],
            start__lte=day,
        )
        .order_by("-start")
        .values("start")[:1]
    )
    m30 = add_months(day, -30)
    return (
        with_age(open_episodes(day), day)  # type: ignore[misc]
        .filter(age__lt=16)
        .annotate(
            period_start=period_start_subquery(),
            carer_since=carer_since,
            first_on_file=first_on_file_subquery(),
        )
        .filter(Q(period_start__lte=m30) | Q(period_start__isnull=True, first_on_file__lte=m30))
    )


def _stable(day: date) -> Q:
    m24 = add_months(day, -24)
    return Q(carer_since__lte=m24) | Q(carer_since__isnull=True, first_on_file__lte=m24)


@figure(
    "PLC-09",
    title="Long-term placement stability",
    kind=Kind.PCT,
    section=SECTION,
    unit="%",
    covers="on 31 March",
    better="higher",
)
def long_term_stability(period: Period) -> Result:
    """PLC-09: percentage of children under 16 on 31 March, looked after continuously for 2.5
    years or more, who had been with the same carer for 2 years or more (EES / NI 63).

    "Same carer": the latest episode that changed the carer (RNE S, P or B) started at least 2
    years before 31 March; RNE T and U (placement changed, same carer) and L (legal status only)
    do not break it, so a foster-to-adopt move with the same carers (A3/A5) keeps the time. The
    NI 63 clause that adds a previous placement to an adoptive placement with new carers (A4/A6)
    is not applied: those children count as not stable until 2 years with the adopters.

    Periods that began before the earliest data (no RNE = S episode on file; the reading is in
    reporting.figures.cohorts.first_on_file_subquery): the first episode on file is a lower
    bound of the start. A child on file for 2.5 years or more has been looked after that long
    and is counted (with the same lower bound for the carer when no carer change is on file);
    a child on file for less cannot be shown to qualify and is not in the percentage, but is
    counted in the table as "start unknown", never dropped silently."""
    snap = snapshot(period)
    long_term = snap["long_term"]
    row = {"n": long_term["stable"], "d": long_term["eligible"]}
    return Result(
        value=pct(row["n"], row["d"]),
        numerator=row["n"],
        denominator=row["d"],
        columns=["Children under 16 looked after on 31 March", "Children"],
        table=[
            ["looked after 2.5 years or more (the percentage's denominator)", row["d"]],
            ["of whom the period of care began before the earliest data", long_term["before_data"]],
            [
                "start unknown: period began before the data, under 2.5 years on file (not "
                "in the percentage)",
                long_term["start_unknown"],
            ],
        ],
        note=(
            f"{long_term['before_data'] + long_term['start_unknown']} periods of care began "
            "before the earliest data held."
            if long_term["before_data"] + long_term["start_unknown"]
            else ""
        ),
    )


@long_term_stability.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    qs = _long_term(period.end)
    if cell != "denominator":
        qs = qs.filter(_stable(period.end))
    return children_in(qs)
