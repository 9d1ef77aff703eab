"""Area 12 of the figure catalogue (docs/figures.md): the board scorecard measures that come from IRO data (SC-xx).

Month-end series are one query each: ``generate_series`` over the period's month ends joined to
the care episodes open at the end of each (open at the end of the day: started on or before it
and not ended by it; short breaks V3/V4 left out).

Not computed here, because the service cannot hold the data (it records the IRO's work, not the
social work or education record):
- SC-04 social worker caseloads (social worker allocations).
- SC-08 children visited by their social worker within 6 weeks (social worker visit dates).
- SC-09 cases supervised in the month (case supervision entries).
- SC-10 PEP up to date (personal education plan dates).
- SC-11 health check in the last 12 months (health assessment dates).
- SC-12 children aged 16+ in education, employment or training (EET status).
- SC-13 care leavers in education, employment or training, and why not (care-leaver activity).
"""

from datetime import date, timedelta

from django.db.models import (
    Avg,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from iro.codes import CONNECTED_CARER_PLACEMENTS, SHORT_BREAK_LEGAL_STATUSES
from iro.models import CareEpisode
from iro.rules import add_months
from iro.selectors import looked_after_episodes_on
from reporting.figures.base import Kind, Period, Result, figure, pct, rate_per_10k
from reporting.figures.context import population_0_17
from reporting.figures.series import is_month_key, month_bounds

EPISODE_COLUMNS = (
    ("LA child ID", "child__la_child_id"),
    ("Child", "child__first_name"),
    ("Start", "start"),
    ("End", "end"),
    ("Legal status", "legal_status"),
    ("Placement", "placement_type"),
)
CONNECTED = CONNECTED_CARER_PLACEMENTS
HOME_ON_CARE_ORDER = Q(placement_type="P1", legal_status__in=["C1", "C2"])
# Placement endings the child or carer did not plan: the carer or child asked for the move, or
# the placement ended over standards of care, an allegation, approval removed or closure.
UNPLANNED_CHANGES = ("CREQB", "CREQO", "CHILD", "ALLEG", "STAND", "APPRR", "CLOSE")


def month_end_series(period: Period) -> dict[str, dict[str, int]]:
    """Children looked after at each month end of `period`: all of them, those with connected
    carers (U1-U3) and those at home on a care order (P1 with C1/C2). Read from the monthly
    caseload query, which makes the same pass over the episodes open at each month end (one
    query for CLA-02, SC-01, SC-02, SC-05 and SC-06)."""
    from reporting.figures.staffing import caseloads_by_month

    months = caseloads_by_month(period)
    return {
        "all": {k: months[k]["in_care"] for k in period.month_keys},
        "connected": {k: months[k]["connected"] for k in period.month_keys},
        "home_on_order": {k: months[k]["home_on_order"] for k in period.month_keys},
    }


def _month_end_rows(period: Period, cell: str | None, condition: Q | None = None) -> QuerySet:
    day = month_bounds(cell)[1] if is_month_key(cell) else period.end
    qs = looked_after_episodes_on(day)
    if condition is not None:
        qs = qs.filter(condition)
    return qs.order_by("child__la_child_id", "pk")


@figure(
    "SC-01",
    title="Children looked after against the peak",
    kind=Kind.COUNT,
    section="scorecard",
    unit="children",
    covers="each month end",
    better="neither",
)
def against_peak(period: Period) -> Result:
    """Children looked after at each month end of the period (the CLA-02 series; the value is
    the last month end), with the peak month end of the period and the change since it, in
    children and as a relative percentage (not points)."""
    months = month_end_series(period)["all"]
    value = months[period.month_keys[-1]]
    peak_key = max(months, key=lambda k: (months[k], k))
    peak = months[peak_key]
    return Result(
        value=value,
        months=months,
        columns=["peak month", "peak", "change since the peak", "% change"],
        table=[[peak_key, peak, value - peak, pct(value - peak, peak)]],
    )


@against_peak.rows(columns=EPISODE_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    return _month_end_rows(period, cell)


@figure(
    "SC-02",
    title="Rate of children looked after per 10,000, by month",
    kind=Kind.RATE,
    section="scorecard",
    unit="per 10,000",
    covers="each month end",
    better="neither",
    denominator_rows=False,
)
def monthly_rate(period: Period) -> Result:
    """Children looked after at each month end per 10,000 children aged 0-17 (the population
    setting for the period); the value is the rate at the period's end. Statistical neighbours'
    rates are imported benchmarks shown beside it."""
    population = population_0_17(period)
    counts = month_end_series(period)["all"]
    value = counts[period.month_keys[-1]]
    return Result(
        value=rate_per_10k(value, population),
        numerator=value,
        denominator=population,
        months={k: rate_per_10k(v, population) for k, v in counts.items()},
    )


@monthly_rate.rows(columns=EPISODE_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    return _month_end_rows(period, cell)


def _starters(start: date, end: date) -> QuerySet:
    return CareEpisode.objects.filter(
        reason_new_episode="S", start__gte=start, start__lte=end
    ).exclude(legal_status__in=SHORT_BREAK_LEGAL_STATUSES)


def _leavers(start: date, end: date) -> QuerySet:
    return (
        CareEpisode.objects.filter(end__gte=start, end__lte=end)
        .exclude(reason_ceased="X1")
        .exclude(reason_ceased="")
        .exclude(legal_status__in=SHORT_BREAK_LEGAL_STATUSES)
    )


@figure(
    "SC-03",
    title="Children starting care per child leaving",
    kind=Kind.RATE,
    section="scorecard",
    unit="starters per leaver",
    better="neither",
)
def starters_per_leaver(period: Period) -> Result:
    """Periods of care that started in the period (RNE S) divided by periods of care that
    ended in it (any reason other than X1), short breaks left out; the monthly series gives
    each month's ratio (None in a month with no leaver). The value is the ratio to 2 places."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    def by_month(qs: QuerySet, field: str) -> dict[str, int]:
        rows = (
            qs.order_by().annotate(_m=TruncMonth(field)).values("_m").annotate(n=Count("pk"))
            .values_list("_m", "n")
        )  # fmt: skip
        return {f"{m:%Y-%m}": n for m, n in rows}

    starts = by_month(_starters(period.start, period.end), "start")
    ends = by_month(_leavers(period.start, period.end), "end")
    started, ended = sum(starts.values()), sum(ends.values())
    months = {
        k: (round(starts.get(k, 0) / ends[k], 2) if ends.get(k) else None)
        for k in period.month_keys
    }
    return Result(
        value=round(started / ended, 2) if ended else None,
        numerator=started,
        denominator=ended,
        months=months,
        columns=["month", "starters", "leavers"],
        table=[[k, starts.get(k, 0), ends.get(k, 0)] for k in period.month_keys],
    )


@starters_per_leaver.rows(columns=EPISODE_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    if cell == "denominator":
        return _leavers(period.start, period.end).order_by("end", "pk")
    return _starters(period.start, period.end).order_by("start", "pk")


@figure(
    "SC-05",
    title="Children placed with family and friends (connected carers)",
    kind=Kind.COUNT,
    section="scorecard",
    unit="children",
    covers="each month end",
    better="neither",
)
def connected_carers(period: Period) -> Result:
    """Children looked after at each month end placed with a relative or friend (placement
    U1, U2 or U3); the value is the last month end."""
    months = month_end_series(period)["connected"]
    return Result(value=months[period.month_keys[-1]], months=months)


@connected_carers.rows(columns=EPISODE_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    return _month_end_rows(period, cell, Q(placement_type__in=CONNECTED))


@figure(
    "SC-06",
    title="Children at home with parents on a care order",
    kind=Kind.COUNT,
    section="scorecard",
    unit="children",
    covers="each month end",
    better="neither",
)
def home_on_care_order(period: Period) -> Result:
    """Children looked after at each month end placed with a parent (P1) while on an interim
    or full care order (C1 or C2); the value is the last month end."""
    months = month_end_series(period)["home_on_order"]
    return Result(value=months[period.month_keys[-1]], months=months)


@home_on_care_order.rows(columns=EPISODE_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    return _month_end_rows(period, cell, HOME_ON_CARE_ORDER)


def _breakdown_window(period: Period) -> tuple[date, date]:
    """The 12 months to the end of the period."""
    return add_months(period.end, -12) + timedelta(days=1), period.end


def _had_breakdown(period: Period) -> Q:
    start, end = _breakdown_window(period)
    ids = CareEpisode.objects.filter(
        end__gte=start, end__lte=end, reason_place_change__in=UNPLANNED_CHANGES
    ).values("child_id")
    return Q(child_id__in=ids)


@figure(
    "SC-07",
    title="Children whose placement broke down in the last 12 months",
    kind=Kind.PCT,
    section="scorecard",
    unit="%",
    better="lower",
)
def placement_breakdowns(period: Period) -> Result:
    """Children looked after at the end of the period who had a placement end unplanned in
    the 12 months to that day (the episode's reason for the placement change: the carer or the
    child asked for the move, an allegation, a standards-of-care concern, the carer's approval
    removed, or the provider closed), as a percentage of children looked after on that day."""
    qs = looked_after_episodes_on(period.end)
    from django.db.models import Count

    row = qs.aggregate(
        n=Count("child", distinct=True),
        yes=Count("child", filter=_had_breakdown(period), distinct=True),
    )
    return Result(value=pct(row["yes"], row["n"]), numerator=row["yes"], denominator=row["n"])


@placement_breakdowns.rows(columns=EPISODE_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = looked_after_episodes_on(period.end)
    if cell != "denominator":
        qs = qs.filter(_had_breakdown(period))
    return qs.order_by("child__la_child_id", "pk")


ADOPTED = ("E11", "E12")
ADOPTION_PLACEMENTS = ("A3", "A4", "A5", "A6")


def _adoptions(period: Period) -> QuerySet:
    """Adoptions in the period (a period of care ending E11 or E12), with the start of that
    period of care, the first placement order (E1) in it and the first adoptive placement."""
    same_period = {
        "child": OuterRef("child"),
        "start__lte": OuterRef("end"),
    }
    period_start = Subquery(
        CareEpisode.objects.filter(**same_period, reason_new_episode="S")
        .order_by("-start")
        .values("start")[:1]
    )
    return (
        CareEpisode.objects.filter(
            reason_ceased__in=ADOPTED, end__gte=period.start, end__lte=period.end
        )  # fmt: skip
        .annotate(_care_start=period_start)
        .annotate(
            _order=Subquery(
                CareEpisode.objects.filter(
                    **same_period, legal_status="E1", start__gte=OuterRef("_care_start")
                )
                .order_by("start")
                .values("start")[:1]
            ),
            _placed=Subquery(
                CareEpisode.objects.filter(
                    **same_period,
                    placement_type__in=ADOPTION_PLACEMENTS,
                    start__gte=OuterRef("_care_start"),
                )
                .order_by("start")
                .values("start")[:1]
            ),
        )
    )


def _days(later: str, earlier: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())


@figure(
    "SC-14",
    title="Days from placement order to adoption order",
    kind=Kind.MEAN,
    section="scorecard",
    unit="days",
    better="lower",
)
def adoption_timeliness(period: Period) -> Result:
    """Children adopted in the period (care ended E11 or E12): the mean days from the first
    placement order (legal status E1) in that period of care to the adoption order (the end of
    care), the value; and the mean days from entering care to moving in with the adopters (the
    first adoption placement A3-A6), in the breakdown."""
    row = _adoptions(period).aggregate(
        order_to_adoption=Avg(_days("end", "_order")),
        care_to_placed=Avg(_days("_placed", "_care_start")),
    )

    def days(value) -> float | None:
        return round(value.total_seconds() / 86400, 1) if value is not None else None

    return Result(
        value=days(row["order_to_adoption"]),
        breakdown={
            "placement order to adoption order": days(row["order_to_adoption"]),
            "entering care to placed for adoption": days(row["care_to_placed"]),
        },
    )


@adoption_timeliness.rows(columns=EPISODE_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    return _adoptions(period).order_by("end", "pk")
