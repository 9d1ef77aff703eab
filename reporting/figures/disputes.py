"""Area 10 of the figure catalogue (docs/figures.md): dispute resolution and IRO concerns (DR-01 to DR-10).

Conventions of this module:
- DR-01 counts children (an IRP for a sibling group of 6 counts 6, as Middlesbrough does) by the
  child's status when the IRP was raised (looked after, CP plan, dual, neither), kept on the IRP.
  The other IRP figures count IRPs, one per formal challenge, however many children it covers.
- A dispute is resolved when the IRO accepts the resolution (status resolved, with its date);
  working days run from the day after it was raised, weekends and England bank holidays left out.
"""

from django.db.models import Avg, Count, F, Q, QuerySet

from escalations.models import (
    Category,
    Concern,
    Escalation,
    EscalationChild,
    EscalationState,
    OutcomeQuality,
    PlanContext,
)
from escalations.rules import DEFAULT_PROCESS_WORKING_DAYS
from iro.models import User
from reporting.figures.base import Kind, Period, Result, figure, pct, shared
from reporting.figures.series import counts_by, is_month_key, month_bounds, monthly_counts
from reporting.figures.workdays import WorkingDays

IRP_COLUMNS = (
    ("IRP", "pk"),
    ("Raised", "raised_on"),
    ("Category", "category"),
    ("Status", "status"),
    ("Resolved", "resolved_on"),
)
CONTEXTS = [c.value for c in PlanContext]
CATEGORIES = [c.value for c in Category]


@shared
def irps_raised(period: Period) -> QuerySet:
    return Escalation.objects.filter(raised_on__gte=period.start, raised_on__lte=period.end)


@shared
def irps_resolved(period: Period) -> QuerySet:
    return Escalation.objects.filter(
        status=EscalationState.RESOLVED, resolved_on__gte=period.start, resolved_on__lte=period.end
    )


def _order(qs: QuerySet) -> QuerySet:
    return qs.order_by("raised_on", "pk")


@figure(
    "DR-01",
    title="Children in formal disputes (IRPs) raised",
    kind=Kind.COUNT,
    section="disputes",
    unit="children",
    better="neither",
)
def disputes_raised(period: Period) -> Result:
    """Children covered by IRPs raised in the period (a sibling-group IRP counts once per
    child), by the child's status when it was raised: ``looked_after``, ``cp_plan``, ``dual``,
    ``neither``. The table gives the number of IRPs."""
    links = EscalationChild.objects.filter(
        escalation__raised_on__gte=period.start, escalation__raised_on__lte=period.end
    )
    breakdown = counts_by(links, "plan_context", CONTEXTS)
    irps = irps_raised(period).aggregate(n=Count("pk"))["n"]
    return Result(
        value=sum(breakdown.values()),
        breakdown=breakdown,
        columns=["measure", "count"],
        table=[["children", sum(breakdown.values())], ["IRPs", irps]],
    )


@disputes_raised.rows(
    columns=(("IRP", "escalation_id"), ("LA child ID", "child__la_child_id"),
             ("Raised", "escalation__raised_on"), ("Status when raised", "plan_context"))
)  # fmt: skip
def _(period: Period, cell: str | None) -> QuerySet:
    qs = EscalationChild.objects.filter(
        escalation__raised_on__gte=period.start, escalation__raised_on__lte=period.end
    )
    if cell in CONTEXTS:
        qs = qs.filter(plan_context=cell)
    return qs.order_by("escalation__raised_on", "pk")


@figure(
    "DR-02",
    title="IRPs raised per month",
    kind=Kind.COUNT,
    section="disputes",
    unit="IRPs",
    better="neither",
    covers="each month",
)
def disputes_by_month(period: Period) -> Result:
    """IRPs raised in each month of the period (by the date raised); the table compares the
    last 6 months with the 6 before (the board scorecard's line)."""
    months = monthly_counts(irps_raised(period), "raised_on", period)
    values = list(months.values())
    table = []
    if len(values) == 12:
        first, last = sum(values[:6]), sum(values[6:])
        table = [["first 6 months", first], ["last 6 months", last]]
    return Result(value=sum(values), months=months, columns=["half", "IRPs"], table=table)


@disputes_by_month.rows(columns=IRP_COLUMNS, child_path="children")
def _(period: Period, cell: str | None) -> QuerySet:
    qs = irps_raised(period)
    if is_month_key(cell):
        start, end = month_bounds(cell)
        qs = qs.filter(raised_on__gte=start, raised_on__lte=end)
    return _order(qs)


@figure(
    "DR-03",
    title="IRPs about drift and delay",
    kind=Kind.PCT,
    section="disputes",
    unit="%",
    better="lower",
)
def dispute_reasons(period: Period) -> Result:
    """IRPs raised in the period by reason category; the value is the share about drift and
    delay (the reason every seed report names first)."""
    breakdown = counts_by(irps_raised(period), "category", CATEGORIES)
    total = sum(breakdown.values())
    drift = breakdown[Category.DRIFT_AND_DELAY]
    return Result(value=pct(drift, total), numerator=drift, denominator=total, breakdown=breakdown)


@dispute_reasons.rows(columns=IRP_COLUMNS, child_path="children")
def _(period: Period, cell: str | None) -> QuerySet:
    qs = irps_raised(period)
    if cell is None:
        qs = qs.filter(category=Category.DRIFT_AND_DELAY)
    elif cell in CATEGORIES:
        qs = qs.filter(category=cell)
    return _order(qs)


# DR-04's keys are the order of the ladder stage an IRP had reached (1 = the first stage): they
# read as "Stage 1", never as a bare number (which the old code-label lookup read as a sex code).
IRP_STAGE_LABELS = {str(n): f"Stage {n}" for n in range(1, 11)}


@figure(
    "DR-04",
    title="IRPs resolved at stage 1",
    kind=Kind.PCT,
    section="disputes",
    unit="%",
    labels=IRP_STAGE_LABELS,
)
def stage_at_resolution(period: Period) -> Result:
    """IRPs resolved in the period by the ladder stage (its order number, ``1`` = the first
    stage) they had reached when resolved; the value is the share resolved at stage 1. The
    table counts those referred to Cafcass among them."""
    resolved = irps_resolved(period)
    found = counts_by(resolved, "current_stage__order")
    breakdown = {str(k): v for k, v in sorted(found.items(), key=lambda kv: int(kv[0]))}
    total = sum(breakdown.values())
    first = breakdown.get("1", 0)
    cafcass = resolved.filter(cafcass_referred=True).count()
    return Result(
        value=pct(first, total),
        numerator=first,
        denominator=total,
        breakdown=breakdown,
        columns=["measure", "IRPs"],
        table=[["referred to Cafcass", cafcass]],
    )


@stage_at_resolution.rows(columns=(*IRP_COLUMNS, ("Stage", "current_stage__order")),
                          child_path="children")  # fmt: skip
def _(period: Period, cell: str | None) -> QuerySet:
    qs = irps_resolved(period)
    if cell is None:
        qs = qs.filter(current_stage__order=1)
    elif cell and cell.isdigit():
        qs = qs.filter(current_stage__order=int(cell))
    return _order(qs)


WITHIN_20 = Q(_wd__lte=DEFAULT_PROCESS_WORKING_DAYS)


def _resolved_timed(period: Period) -> QuerySet:
    return irps_resolved(period).annotate(_wd=WorkingDays(F("raised_on"), F("resolved_on")))


@figure(
    "DR-05",
    title="Working days to resolve an IRP",
    kind=Kind.MEAN,
    section="disputes",
    unit="working days",
    target=DEFAULT_PROCESS_WORKING_DAYS,
    better="lower",
)
def time_to_resolve(period: Period) -> Result:
    """IRPs resolved in the period: the mean working days from raised to resolved (the value)
    and how many were resolved within 20 working days (the IRO Handbook's limit) as the
    numerator over all resolved. The day after raising is working day 1; weekends and England
    bank holidays are not working days. The percentage within 20 is in the breakdown."""
    row = _resolved_timed(period).aggregate(
        n=Count("pk"), within=Count("pk", filter=WITHIN_20), mean=Avg("_wd")
    )
    mean = round(float(row["mean"]), 1) if row["mean"] is not None else None
    return Result(
        value=mean,
        numerator=row["within"],
        denominator=row["n"],
        breakdown={"% within 20 working days": pct(row["within"], row["n"])},
    )


@time_to_resolve.rows(columns=IRP_COLUMNS, child_path="children")
def _(period: Period, cell: str | None) -> QuerySet:
    qs = _resolved_timed(period)
    return _order(qs if cell == "denominator" else qs.filter(WITHIN_20))


@figure(
    "DR-06",
    title="IROs who raised IRPs",
    kind=Kind.COUNT,
    section="disputes",
    unit="IROs",
    better="neither",
)
def iros_raising(period: Period) -> Result:
    """Different IROs who raised at least one IRP in the period."""
    return Result(value=irps_raised(period).aggregate(n=Count("raised_by", distinct=True))["n"])


@iros_raising.rows(columns=(("Username", "username"), ("First name", "first_name"),
                            ("Last name", "last_name")), child_path=None)  # fmt: skip
def _(period: Period, cell: str | None) -> QuerySet:
    return User.objects.filter(pk__in=irps_raised(period).values("raised_by")).order_by("pk")


@figure(
    "DR-07",
    title="IRPs referred to Cafcass",
    kind=Kind.COUNT,
    section="disputes",
    unit="IRPs",
    better="neither",
)
def cafcass_referrals(period: Period) -> Result:
    """IRPs referred to Cafcass in the period (by the date of referral)."""
    return Result(value=_cafcass(period).count())


def _cafcass(period: Period) -> QuerySet:
    return Escalation.objects.filter(
        cafcass_referred=True,
        cafcass_referred_on__gte=period.start,
        cafcass_referred_on__lte=period.end,
    )


@cafcass_referrals.rows(columns=IRP_COLUMNS, child_path="children")
def _(period: Period, cell: str | None) -> QuerySet:
    return _order(_cafcass(period))


def _overdue_on(period: Period) -> QuerySet:
    """IRPs still open at the end of the period (raised by then, not resolved, withdrawn or
    closed by then) whose whole-process deadline (20 working days) had passed."""
    day = period.end
    return Escalation.objects.filter(raised_on__lte=day, process_deadline__lt=day).exclude(
        Q(resolved_on__lte=day) | Q(closed_on__lte=day) | Q(status=EscalationState.NEW)
    )


@figure(
    "DR-08",
    title="IRPs open past 20 working days",
    kind=Kind.LIST,
    section="disputes",
    unit="IRPs",
    covers="on 31 March",
    better="lower",
)
def overdue_disputes(period: Period) -> Result:
    """The IRPs open at the end of the period whose 20-working-day deadline had passed (to be
    reported to the assistant director), oldest first."""
    rows = list(
        _overdue_on(period)
        .order_by("raised_on", "pk")
        .values_list("pk", "raised_on", "process_deadline", "category", "current_stage__name")
    )
    return Result(
        value=len(rows),
        columns=["IRP", "Raised", "Deadline", "Category", "Stage"],
        table=[list(r) for r in rows],
    )


@overdue_disputes.rows(columns=(*IRP_COLUMNS, ("Deadline", "process_deadline")),
                       child_path="children")  # fmt: skip
def _(period: Period, cell: str | None) -> QuerySet:
    return _order(_overdue_on(period))


@shared
def concerns_raised(period: Period) -> QuerySet:
    return Concern.objects.filter(raised_on__gte=period.start, raised_on__lte=period.end)


@figure(
    "DR-09",
    title="Informal IRO concerns raised",
    kind=Kind.COUNT,
    section="disputes",
    unit="concerns",
    better="neither",
)
def informal_concerns(period: Period) -> Result:
    """IRO concerns (informal challenge, one per child) raised in the period, by the child's
    status when raised, and per month."""
    qs = concerns_raised(period)
    breakdown = counts_by(qs, "plan_context", CONTEXTS)
    return Result(
        value=sum(breakdown.values()),
        breakdown=breakdown,
        months=monthly_counts(qs, "raised_on", period),
    )


@informal_concerns.rows(
    columns=(("LA child ID", "child__la_child_id"), ("Raised", "raised_on"),
             ("Category", "category"), ("Status when raised", "plan_context"))
)  # fmt: skip
def _(period: Period, cell: str | None) -> QuerySet:
    qs = concerns_raised(period)
    if cell in CONTEXTS:
        qs = qs.filter(plan_context=cell)
    elif is_month_key(cell):
        start, end = month_bounds(cell)
        qs = qs.filter(raised_on__gte=start, raised_on__lte=end)
    return qs.order_by("raised_on", "pk")


QUALITIES = [q.value for q in OutcomeQuality if q.value]


@figure(
    "DR-10",
    title="IRPs resolved with real change for the child",
    kind=Kind.PCT,
    section="disputes",
    unit="%",
)
def dispute_outcome_quality(period: Period) -> Result:
    """IRPs resolved in the period by the IRO's judgement of the outcome: resolved for the
    child, partly resolved, or only superficial compliance; the value is the share resolved for
    the child."""
    breakdown = counts_by(irps_resolved(period), "outcome_quality", QUALITIES)
    total = sum(breakdown.values())
    good = breakdown[OutcomeQuality.RESOLVED_FOR_CHILD]
    return Result(value=pct(good, total), numerator=good, denominator=total, breakdown=breakdown)


@dispute_outcome_quality.rows(columns=(*IRP_COLUMNS, ("Outcome", "outcome_quality")),
                              child_path="children")  # fmt: skip
def _(period: Period, cell: str | None) -> QuerySet:
    qs = irps_resolved(period)
    if cell is None:
        qs = qs.filter(outcome_quality=OutcomeQuality.RESOLVED_FOR_CHILD)
    elif cell in QUALITIES:
        qs = qs.filter(outcome_quality=cell)
    return _order(qs)
