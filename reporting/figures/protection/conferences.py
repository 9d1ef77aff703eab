"""Child protection conferences (CP-01 to CP-06): initial conferences, their outcomes and
timeliness, the reasons for late ones, review conferences and whether they were on time.
"""

from datetime import timedelta

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
)

from protection import rules
from protection.models import (
    ConferenceOutcome,
    DelayReason,
)
from reporting.figures.base import Kind, Period, Result, figure, pct
from reporting.figures.protection.common import (
    CONFERENCE_COLUMNS,
    ICPC,
    ICPC_LIMIT,
    RCPC,
    TRANSFER_IN,
    conference_rows,
    conference_summary,
    conferences_held,
)
from reporting.figures.series import counts_by, is_month_key, month_bounds, monthly_pct
from reporting.figures.workdays import WorkingDays


def first_per_child(qs: QuerySet) -> QuerySet:
    """One conference per child: each child's first of `qs` (by date, then record). CP-01 and
    CP-05 count children, so their drill-down lists each child once."""
    earlier = qs.model.objects.filter(
        pk__in=qs.values("pk"), child=OuterRef("child"), kind=OuterRef("kind")
    ).filter(
        Q(held_on__lt=OuterRef("held_on")) | Q(held_on=OuterRef("held_on"), pk__lt=OuterRef("pk"))
    )
    return qs.filter(~Exists(earlier))


@figure(
    "CP-01",
    title="Children at initial child protection conferences",
    kind=Kind.COUNT,
    section="child_protection",
    unit="children",
    better="neither",
)
def initial_conferences(period: Period) -> Result:
    """CP-01, counted in children: children at an initial child protection conference (ICPC)
    held in the period, each child once however many ICPCs they had (a sibling group at one
    meeting counts each child). The definition of CP-01 says the reports count "in children or in
    conferences (DAR gives both)", so the table gives both, named: children, conferences (one
    record per child at each meeting: a child at two ICPCs in the year counts twice) and
    meetings. Transfer-in conferences are counted separately in the breakdown (children) and not
    in the value."""
    row = conference_summary(period)
    return Result(
        value=row["icpc_children"],
        breakdown={"ICPC": row["icpc_children"], "transfer-in": row["transfer_children"]},
        columns=["conference", "children", "conferences (one per child)", "meetings"],
        table=[
            ["initial (ICPC)", row["icpc_children"], row["icpc"], row["icpc_meetings"]],
            ["transfer-in", row["transfer_children"], row["transfer"], row["transfer_meetings"]],
        ],
    )


@initial_conferences.rows(columns=CONFERENCE_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    kind = TRANSFER_IN if cell == "transfer-in" else ICPC
    return conference_rows(first_per_child(conferences_held(period).filter(kind=kind)))


OUTCOMES = [o.value for o in ConferenceOutcome]


@figure(
    "CP-02",
    title="Initial conferences that led to a child protection plan",
    kind=Kind.PCT,
    section="child_protection",
    unit="%",
    better="neither",
)
def initial_conference_outcomes(period: Period) -> Result:
    """Children at ICPCs held in the period by outcome: CP plan, child in need plan, no further
    action. The value is the percentage given a plan; the table gives those not given one."""
    held = conferences_held(period).filter(kind=ICPC)
    breakdown = counts_by(held, "outcome", OUTCOMES)
    total = sum(breakdown.values())
    plan = breakdown[ConferenceOutcome.CP_PLAN]
    return Result(
        value=pct(plan, total),
        numerator=plan,
        denominator=total,
        breakdown=breakdown,
        columns=["outcome", "children", "%"],
        table=[
            ["led to a plan", plan, pct(plan, total)],
            ["did not lead to a plan", total - plan, pct(total - plan, total)],
        ],
    )


@initial_conference_outcomes.rows(columns=CONFERENCE_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = conferences_held(period).filter(kind=ICPC)
    if cell is None:
        qs = qs.filter(outcome=ConferenceOutcome.CP_PLAN)
    elif cell in OUTCOMES:
        qs = qs.filter(outcome=cell)
    return conference_rows(qs)


def _icpcs_timed(period: Period) -> QuerySet:
    """ICPCs held in the period with the working days from the strategy discussion (service
    basis) and from the s47 start, that day counting as day 1 (DfE basis)."""
    return (
        conferences_held(period)
        .filter(kind=ICPC, strategy_discussion__isnull=False)
        .annotate(
            _wd=WorkingDays(F("strategy_discussion__held_on"), F("held_on")),
            _wd_dfe=WorkingDays(
                F("strategy_discussion__s47_started_on") - timedelta(days=1), F("held_on")
            ),
        )
    )


ICPC_IN_TIME = Q(_wd__lte=ICPC_LIMIT)


@figure(
    "CP-03",
    title="Initial conferences within 15 working days",
    kind=Kind.PCT,
    section="child_protection",
    unit="%",
    target=95,
)
def icpc_in_time(period: Period) -> Result:
    """Children whose ICPC, held in the period, was within 15 working days of the strategy
    discussion at which section 47 enquiries started (Working Together; the day after the
    discussion is working day 1; weekends and England bank holidays excluded), as a percentage
    of children at ICPCs held in the period. Transfer-in conferences are left out.

    The DfE basis (from the s47 start date, that day counting as day 1) is in the table."""
    qs = _icpcs_timed(period)
    row = qs.aggregate(
        n=Count("pk"), yes=Count("pk", filter=ICPC_IN_TIME),
        dfe=Count("pk", filter=Q(_wd_dfe__lte=ICPC_LIMIT)),
    )  # fmt: skip
    return Result(
        value=pct(row["yes"], row["n"]),
        numerator=row["yes"],
        denominator=row["n"],
        months=monthly_pct(qs, "held_on", ICPC_IN_TIME, period),
        columns=["basis", "within 15 working days", "ICPCs", "%"],
        table=[
            [rules.ICPC_BASIS_SERVICE, row["yes"], row["n"], pct(row["yes"], row["n"])],
            [rules.ICPC_BASIS_DFE, row["dfe"], row["n"], pct(row["dfe"], row["n"])],
        ],
    )


@icpc_in_time.rows(columns=CONFERENCE_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = _icpcs_timed(period)
    if is_month_key(cell):
        start, end = month_bounds(cell)
        qs = qs.filter(held_on__gte=start, held_on__lte=end)
    elif cell != "denominator":
        qs = qs.filter(ICPC_IN_TIME)
    return conference_rows(qs)


DELAY_REASONS = [r.value for r in DelayReason]


@figure(
    "CP-04",
    title="Late initial conferences, by reason",
    kind=Kind.COUNT,
    section="child_protection",
    unit="children",
    better="lower",
)
def icpc_late_reasons(period: Period) -> Result:
    """Children whose ICPC, held in the period, was later than 15 working days after the
    strategy discussion (the CP-03 basis), by the delay reason recorded (``not recorded`` when
    none was)."""
    late = _icpcs_timed(period).exclude(ICPC_IN_TIME)
    breakdown = counts_by(late, "delay_reason", [*DELAY_REASONS, ""])
    breakdown["not recorded"] = breakdown.pop("")
    return Result(value=sum(breakdown.values()), breakdown=breakdown)


@icpc_late_reasons.rows(columns=(*CONFERENCE_COLUMNS, ("Delay reason", "delay_reason")))
def _(period: Period, cell: str | None) -> QuerySet:
    qs = _icpcs_timed(period).exclude(ICPC_IN_TIME)
    if cell == "not recorded":
        qs = qs.filter(delay_reason="")
    elif cell in DELAY_REASONS:
        qs = qs.filter(delay_reason=cell)
    return conference_rows(qs)


@figure(
    "CP-05",
    title="Children at review child protection conferences",
    kind=Kind.COUNT,
    section="child_protection",
    unit="children",
    better="neither",
)
def review_conferences(period: Period) -> Result:
    """CP-05, counted in children: children at a review child protection conference (RCPC) held
    in the period, each child once however many RCPCs they had. Both views are named in the
    table, as for CP-01 (DAR gives RCPCs and the children they covered): children, conferences
    (one record per child at each meeting: a child reviewed twice in the year counts twice) and
    meetings."""
    row = (
        conferences_held(period)
        .filter(kind=RCPC)
        .aggregate(
            children=Count("child", distinct=True),
            n=Count("pk"),
            meetings=Count("meeting", distinct=True),
        )
    )
    return Result(
        value=row["children"],
        columns=["children", "conferences (one per child)", "meetings"],
        table=[[row["children"], row["n"], row["meetings"]]],
    )


@review_conferences.rows(columns=CONFERENCE_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    return conference_rows(first_per_child(conferences_held(period).filter(kind=RCPC)))


RCPC_ON_TIME = Q(held_on__lte=F("due"))


@figure(
    "CP-06",
    title="Review conferences on time",
    kind=Kind.PCT,
    section="child_protection",
    unit="%",
    target=95,
)
def rcpc_on_time(period: Period) -> Result:
    """Children whose RCPC, held in the period, was held on or before its due date (the first
    3 months after the ICPC, later ones 6 months after the previous review, as protection.rules
    sets the due date), as a percentage of children at RCPCs held in the period."""
    qs = conferences_held(period).filter(kind=RCPC)
    row = qs.aggregate(n=Count("pk"), yes=Count("pk", filter=RCPC_ON_TIME))
    return Result(
        value=pct(row["yes"], row["n"]),
        numerator=row["yes"],
        denominator=row["n"],
        months=monthly_pct(qs, "held_on", RCPC_ON_TIME, period),
    )


@rcpc_on_time.rows(columns=CONFERENCE_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = conferences_held(period).filter(kind=RCPC)
    if is_month_key(cell):
        start, end = month_bounds(cell)
        qs = qs.filter(held_on__gte=start, held_on__lte=end)
    elif cell != "denominator":
        qs = qs.filter(RCPC_ON_TIME)
    return conference_rows(qs)
