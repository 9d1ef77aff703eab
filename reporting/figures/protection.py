"""Area 8 of the figure catalogue (docs/figures.md): child protection (CP-01 to CP-22).

Conventions of this module:
- Conferences are counted per child: a sibling group conferenced together is one meeting with a
  conference record per child, and the seeds count children (the meeting count is in the table).
- A child is on a plan on a day when the plan started on or before it and had not ended by it
  (protection.rules.is_on_plan); "on 31 March" is the period's last day.
- Age bands are the age on the period's last day (``unborn`` when no date of birth yet).

Not computed here:
- CP-17 (challenge-clinic cohorts): an audit of cohorts by hand (kind AUDIT).
- CP-19 (family members excluded from conferences): the service records no exclusions.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from iro import codes
from iro.codes import CategoryOfAbuse, Ethnicity, Sex
from iro.db_router import reporting_connection
from iro.rules import add_months
from protection import rules
from protection.models import (
    CHILD_VIEWS_SHARED,
    ChildViews,
    Conference,
    ConferenceKind,
    ConferenceOutcome,
    ConferenceStatus,
    CoreGroupMeeting,
    DelayReason,
    ProtectionPlan,
)
from protection.selectors import months_on_plan_expression, plans_open_on
from reporting.figures.base import Kind, Period, Result, figure, pct, rate_per_10k, shared
from reporting.figures.context import population_0_17
from reporting.figures.series import counts_by, is_month_key, month_bounds, monthly_pct
from reporting.figures.workdays import WorkingDays

CONFERENCE_COLUMNS = (
    ("LA child ID", "child__la_child_id"),
    ("Child", "child__first_name"),
    ("Kind", "kind"),
    ("Due", "due"),
    ("Held", "held_on"),
    ("Outcome", "outcome"),
)
PLAN_COLUMNS = (
    ("LA child ID", "child__la_child_id"),
    ("Child", "child__first_name"),
    ("Start", "start"),
    ("End", "end"),
    ("Latest category", "latest_category"),
)
ICPC, RCPC, TRANSFER_IN = ConferenceKind.ICPC, ConferenceKind.RCPC, ConferenceKind.TRANSFER_IN
ICPC_LIMIT = rules.ICPC_WORKING_DAYS


@shared
def conferences_held(period: Period) -> QuerySet:
    """Conferences (one per child) held in the period."""
    return Conference.objects.filter(
        status=ConferenceStatus.HELD, held_on__gte=period.start, held_on__lte=period.end
    )


def _order(qs: QuerySet) -> QuerySet:
    return qs.order_by("held_on", "pk")


def _plans_on(day: date) -> QuerySet:
    return plans_open_on(day)


@shared
def conference_summary(period: Period) -> dict:
    """Counts over the conferences held in the period that several figures share, one query."""
    could_give_views = Q(
        child__date_of_birth__isnull=False, child__date_of_birth__lte=F("held_on")
    ) & ~Q(child_views=ChildViews.TOO_YOUNG)
    initial = ~Q(kind=RCPC)
    return conferences_held(period).aggregate(
        icpc=Count("pk", filter=Q(kind=ICPC)),
        transfer=Count("pk", filter=Q(kind=TRANSFER_IN)),
        icpc_children=Count("child", filter=Q(kind=ICPC), distinct=True),
        transfer_children=Count("child", filter=Q(kind=TRANSFER_IN), distinct=True),
        icpc_meetings=Count("meeting", filter=Q(kind=ICPC), distinct=True),
        transfer_meetings=Count("meeting", filter=Q(kind=TRANSFER_IN), distinct=True),
        rcpc=Count("pk", filter=Q(kind=RCPC)),
        rcpc_meetings=Count("meeting", filter=Q(kind=RCPC), distinct=True),
        invited=Count("pk", filter=INVITED),
        attended=Count("pk", filter=ATTENDED),
        icpc_invited=Count("pk", filter=INVITED & initial),
        icpc_attended=Count("pk", filter=ATTENDED & initial),
        rcpc_invited=Count("pk", filter=INVITED & ~initial),
        rcpc_attended=Count("pk", filter=ATTENDED & ~initial),
        views_n=Count("pk", filter=could_give_views),
        views_yes=Count("pk", filter=could_give_views & VIEWS_HEARD),
        views_attended=Count("pk", filter=could_give_views & Q(child_attended=True)),
    )


# --- CP-01 to CP-06: conferences -----------------------------------------------------------------


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
    return _order(first_per_child(conferences_held(period).filter(kind=kind)))


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
    return _order(qs)


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
    return _order(qs)


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
    return _order(qs)


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
    return _order(first_per_child(conferences_held(period).filter(kind=RCPC)))


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
    return _order(qs)


# --- CP-07 to CP-13: children on plans ------------------------------------------------------------


def _plan_rows(qs: QuerySet) -> QuerySet:
    return qs.order_by("start", "pk")


@figure(
    "CP-07",
    title="Children on child protection plans on 31 March",
    kind=Kind.COUNT,
    section="child_protection",
    unit="children",
    covers="on 31 March",
    better="neither",
)
def on_plans(period: Period) -> Result:
    """Children on a child protection plan at the end of the period (31 March for a year), with
    the rate per 10,000 children aged 0-17."""
    count = plans_on_summary(period)["all"][""]
    population = population_0_17(period)
    return Result(
        value=count,
        numerator=count,
        denominator=population,
        breakdown={"rate per 10,000": rate_per_10k(count, population)},
    )


on_plans.extra["denominator_rows"] = False


@on_plans.rows(columns=PLAN_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    return _plan_rows(_plans_on(period.end))


@figure(
    "CP-08",
    title="Child protection plans started",
    kind=Kind.COUNT,
    section="child_protection",
    unit="plans",
    better="neither",
)
def plans_started_and_ended(period: Period) -> Result:
    """Plans that started in the period (the value) and plans that ended in it, with the net
    change (started less ended) in the table."""
    row = ProtectionPlan.objects.aggregate(
        started=Count("pk", filter=Q(start__gte=period.start, start__lte=period.end)),
        ended=Count("pk", filter=Q(end__gte=period.start, end__lte=period.end)),
    )
    return Result(
        value=row["started"],
        breakdown={"started": row["started"], "ended": row["ended"]},
        columns=["started", "ended", "net change"],
        table=[[row["started"], row["ended"], row["started"] - row["ended"]]],
    )


@plans_started_and_ended.rows(columns=PLAN_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    if cell == "ended":
        return _plan_rows(ProtectionPlan.objects.filter(end__gte=period.start, end__lte=period.end))
    return _plan_rows(ProtectionPlan.objects.filter(start__gte=period.start, start__lte=period.end))


SEXES = [s.value for s in Sex if s.value in ("M", "F", "U")]


@figure(
    "CP-09",
    title="Boys among children on plans on 31 March",
    kind=Kind.PCT,
    section="child_protection",
    unit="%",
    covers="on 31 March",
    better="neither",
    labels=codes.Sex,
)
def plans_by_sex(period: Period) -> Result:
    """Children on plans at the end of the period by sex (M, F, U); the value is the
    percentage who are male (unborn children are U until born)."""
    breakdown = _keyed(plans_on_summary(period)["sex"], SEXES)
    total = sum(breakdown.values())
    return Result(
        value=pct(breakdown["M"], total),
        numerator=breakdown["M"],
        denominator=total,
        breakdown=breakdown,
    )


@plans_by_sex.rows(columns=PLAN_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = _plans_on(period.end)
    if cell is None:
        qs = qs.filter(child__sex="M")
    elif cell in SEXES:
        qs = qs.filter(child__sex=cell)
    return _plan_rows(qs)


ETHNICITIES = [e.value for e in Ethnicity if len(e.value) == 4]


@figure(
    "CP-10",
    title="Ethnicity of children on plans on 31 March",
    kind=Kind.COUNT,
    section="child_protection",
    unit="children",
    covers="on 31 March",
    better="neither",
    labels=codes.Ethnicity,
)
def plans_by_ethnicity(period: Period) -> Result:
    """Children on plans at the end of the period by 903 ethnicity code; the value is the
    total, so the percentages are of the children on plans on that day (unlike the seed, whose
    ethnicity totals, 348 / 520 / 484, differ from its own 320 / 469 / 416 children on plans)."""
    breakdown = _keyed(plans_on_summary(period)["ethnicity"], ETHNICITIES)
    return Result(value=sum(breakdown.values()), breakdown=breakdown)


@plans_by_ethnicity.rows(columns=PLAN_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = _plans_on(period.end)
    if cell in ETHNICITIES:
        qs = qs.filter(child__ethnicity=cell)
    return _plan_rows(qs)


AGE_BANDS = ["unborn", "under 1", "1-4", "5-9", "10-15", "16+"]


def age_band_expression(day: date, dob: str = "child__date_of_birth") -> Case:
    """SQL: the age band (DfE labels, plus ``unborn``) of the child on `day`."""

    def born_by(years: int) -> date:
        return add_months(day, -12 * years)

    return Case(
        When(**{f"{dob}__isnull": True}, then=Value("unborn")),
        When(**{f"{dob}__gt": day}, then=Value("unborn")),
        When(**{f"{dob}__gt": born_by(1)}, then=Value("under 1")),
        When(**{f"{dob}__gt": born_by(5)}, then=Value("1-4")),
        When(**{f"{dob}__gt": born_by(10)}, then=Value("5-9")),
        When(**{f"{dob}__gt": born_by(16)}, then=Value("10-15")),
        default=Value("16+"),
        output_field=CharField(),
    )


@figure(
    "CP-11",
    title="Age of children on plans on 31 March",
    kind=Kind.COUNT,
    section="child_protection",
    unit="children",
    covers="on 31 March",
    better="neither",
)
def plans_by_age(period: Period) -> Result:
    """Children on plans at the end of the period by age on that day: unborn, under 1, 1-4,
    5-9, 10-15, 16+ (DfE bands, with unborn as the CP tables add). The value is the total."""
    breakdown = _keyed(plans_on_summary(period)["band"], AGE_BANDS)
    return Result(value=sum(breakdown.values()), breakdown=breakdown)


@plans_by_age.rows(columns=PLAN_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = _plans_on(period.end).annotate(_band=age_band_expression(period.end))
    if cell in AGE_BANDS:
        qs = qs.filter(_band=cell)
    return _plan_rows(qs)


CATEGORIES = [c.value for c in CategoryOfAbuse]


@figure(
    "CP-12",
    title="Neglect as the category of abuse on 31 March",
    kind=Kind.PCT,
    section="child_protection",
    unit="%",
    covers="on 31 March",
    better="neither",
    labels=codes.CategoryOfAbuse,
)
def plans_by_category(period: Period) -> Result:
    """Children on plans at the end of the period by the plan's latest category of abuse (NEG,
    PHY, SAB, EMO, MUL); the value is the percentage under neglect."""
    breakdown = _keyed(plans_on_summary(period)["category"], CATEGORIES)
    total = sum(breakdown.values())
    return Result(
        value=pct(breakdown["NEG"], total),
        numerator=breakdown["NEG"],
        denominator=total,
        breakdown=breakdown,
    )


@plans_by_category.rows(columns=PLAN_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = _plans_on(period.end)
    if cell is None:
        qs = qs.filter(latest_category="NEG")
    elif cell in CATEGORIES:
        qs = qs.filter(latest_category=cell)
    return _plan_rows(qs)


DURATION_BANDS = [
    ("under 6 months", 0, 6),
    ("6-12 months", 6, 12),
    ("12-15 months", 12, 15),
    ("15-18 months", 15, 18),
    ("18-24 months", 18, 24),
    ("24 months or more", 24, None),
]


def _with_months(day: date) -> QuerySet:
    return _plans_on(day).annotate(_months=months_on_plan_expression(day))


def _band_filter(low: int, high: int | None) -> Q:
    q = Q(_months__gte=low)
    return q & Q(_months__lt=high) if high is not None else q


PLANS_ON_SQL = """
WITH p AS MATERIALIZED ({plans})
SELECT 'all', '', COUNT(*) FROM p
UNION ALL SELECT 'sex', k_sex, COUNT(*) FROM p GROUP BY k_sex
UNION ALL SELECT 'ethnicity', k_ethnicity, COUNT(*) FROM p GROUP BY k_ethnicity
UNION ALL SELECT 'band', k_band, COUNT(*) FROM p GROUP BY k_band
UNION ALL SELECT 'category', k_category, COUNT(*) FROM p GROUP BY k_category
UNION ALL SELECT 'duration', k_duration, COUNT(*) FROM p GROUP BY k_duration
UNION ALL SELECT 'disabled', '', COUNT(*) FROM p WHERE k_disabled
"""


@shared
def plans_on_summary(period: Period) -> dict[str, dict[str, int]]:
    """Counts of the plans open at the end of `period` (``_plans_on``) along every dimension the
    "on 31 March" figures use (CP-07, CP-09 to CP-13, CP-20), in one statement: the plans are
    read once (a materialised CTE) and counted by sex, ethnicity, age band, latest category,
    duration band and disability. ``plans_on_summary(p)["sex"]["M"]``; missing keys are zero."""
    day = period.end
    duration = Case(
        *[When(_band_filter(lo, hi), then=Value(label)) for label, lo, hi in DURATION_BANDS],
        default=Value(""),
        output_field=CharField(),
    )
    plans_sql, params = (
        _with_months(day)
        .annotate(_band=age_band_expression(day), _duration=duration)
        .order_by()
        .values(
            k_sex=F("child__sex"),
            k_ethnicity=F("child__ethnicity"),
            k_band=F("_band"),
            k_category=F("latest_category"),
            k_duration=F("_duration"),
            k_disabled=F("child__disability"),
        )
        .query.sql_with_params()
    )
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    with reporting_connection().cursor() as cursor:
        cursor.execute(PLANS_ON_SQL.format(plans=plans_sql), params)
        for dim, key, n in cursor.fetchall():
            out[dim][key or ""] = int(n)
    return out


def _keyed(counts: dict[str, int], keys: list[str]) -> dict[str, int]:
    return {key: counts.get(key, 0) for key in keys}


@figure(
    "CP-13",
    title="How long current plans have lasted on 31 March",
    kind=Kind.COUNT,
    section="child_protection",
    unit="plans",
    covers="on 31 March",
    better="neither",
)
def plan_durations(period: Period) -> Result:
    """Plans open at the end of the period by whole months since they started (a month counts
    once the same day number is reached, clamped to month ends): under 6, 6-12, 12-15, 15-18,
    18-24, 24 or more. The value is the total."""
    breakdown = _keyed(plans_on_summary(period)["duration"], [b[0] for b in DURATION_BANDS])
    return Result(value=sum(breakdown.values()), breakdown=breakdown)


@plan_durations.rows(columns=PLAN_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = _with_months(period.end)
    for label, lo, hi in DURATION_BANDS:
        if cell == label:
            qs = qs.filter(_band_filter(lo, hi))
    return _plan_rows(qs)


PANEL_CUTS = [("15+", 15), ("16+", 16), ("18+", 18), ("24+", 24)]


@figure(
    "CP-14",
    title="Plans lasting 15 months or more (panel list)",
    kind=Kind.LIST,
    section="child_protection",
    unit="children",
    covers="on 31 March",
    better="lower",
)
def long_plans_list(period: Period) -> Result:
    """The children whose plan, open at the end of the period, has lasted 15 months or more
    (whole months as CP-13), longest first, for the panel; the breakdown cuts the list at 15,
    16, 18 and 24 months."""
    qs = _with_months(period.end).filter(_months__gte=rules.PANEL_MONTHS)
    rows = list(
        qs.order_by("start", "pk").values_list(
            "child__la_child_id", "child__first_name", "child__last_name", "start", "_months",
            "latest_category",
        )
    )  # fmt: skip
    breakdown = {label: sum(1 for r in rows if r[4] >= months) for label, months in PANEL_CUTS}
    return Result(
        value=len(rows),
        breakdown=breakdown,
        columns=["LA child ID", "First name", "Last name", "Plan start", "Months", "Category"],
        table=[[*r[:5], codes.code_label(CategoryOfAbuse, r[5])] for r in rows],
    )


@long_plans_list.rows(columns=PLAN_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    months = dict(PANEL_CUTS).get(cell or "15+", rules.PANEL_MONTHS)
    return _plan_rows(_with_months(period.end).filter(_months__gte=months))


def _plus_months(field: str, months: int) -> Func:
    """SQL: `field` plus `months` months (PostgreSQL clamps to month ends, as add_months does)."""
    return Func(
        F(field), template=f"(%(expressions)s + interval '{int(months)} months')::date",
        output_field=DateField(),
    )  # fmt: skip


LASTED_2_YEARS = Q(end__gte=_plus_months("start", rules.LONG_PLAN_MONTHS))


@figure(
    "CP-15",
    title="Plans ending after two years or more",
    kind=Kind.PCT,
    section="child_protection",
    unit="%",
    better="lower",
)
def plans_two_years(period: Period) -> Result:
    """Plans that ended in the period having lasted 2 years or more (end on or after the
    second anniversary of the start), as a percentage of plans that ended in the period (DfE
    table D7 basis). The table adds plans open at the end of the period that have lasted more
    than 2 years (the Middlesbrough 2020/21 wording)."""
    ended = ProtectionPlan.objects.filter(end__gte=period.start, end__lte=period.end)
    row = ended.aggregate(n=Count("pk"), yes=Count("pk", filter=LASTED_2_YEARS))
    open_row = _with_months(period.end).aggregate(
        n=Count("pk"), long=Count("pk", filter=Q(_months__gte=rules.LONG_PLAN_MONTHS))
    )
    return Result(
        value=pct(row["yes"], row["n"]),
        numerator=row["yes"],
        denominator=row["n"],
        columns=["plans", "2 years or more", "of", "%"],
        table=[
            ["ended in the year", row["yes"], row["n"], pct(row["yes"], row["n"])],
            [
                "open at the end of the year",
                open_row["long"],
                open_row["n"],
                pct(open_row["long"], open_row["n"]),
            ],
        ],  # fmt: skip
    )


@plans_two_years.rows(columns=PLAN_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = ProtectionPlan.objects.filter(end__gte=period.start, end__lte=period.end)
    return _plan_rows(qs if cell == "denominator" else qs.filter(LASTED_2_YEARS))


def _started_in(period: Period) -> QuerySet:
    return ProtectionPlan.objects.filter(start__gte=period.start, start__lte=period.end)


REPEAT_EVER = Q(previous_plans__gte=1)


def _repeat_within_2_years() -> Exists:
    return Exists(
        ProtectionPlan.objects.filter(
            child=OuterRef("child"),
            end__isnull=False,
            end__lte=OuterRef("start"),
            end__gte=Func(
                OuterRef("start"),
                template=f"(%(expressions)s - interval '{rules.REPEAT_PLAN_WINDOW_MONTHS} months')::date",
                output_field=DateField(),
            ),
        )
    )


@figure(
    "CP-16",
    title="Second or later child protection plans",
    kind=Kind.PCT,
    section="child_protection",
    unit="%",
    better="lower",
)
def repeat_plans(period: Period) -> Result:
    """Plans started in the period for a child who had had a plan before, ever (the DfE basis:
    number of previous plans 1 or more), as a percentage of plans started. The table adds the
    local variant: a previous plan that ended within 24 months before the new one started."""
    qs = _started_in(period).annotate(_within=_repeat_within_2_years())
    row = qs.aggregate(
        n=Count("pk"),
        ever=Count("pk", filter=REPEAT_EVER),
        within=Count("pk", filter=Q(_within=True)),
    )
    return Result(
        value=pct(row["ever"], row["n"]),
        numerator=row["ever"],
        denominator=row["n"],
        columns=["basis", "repeat plans", "plans started", "%"],
        table=[
            ["any previous plan (DfE)", row["ever"], row["n"], pct(row["ever"], row["n"])],
            [
                "previous plan ended within 24 months (local)",
                row["within"],
                row["n"],
                pct(row["within"], row["n"]),
            ],
        ],  # fmt: skip
    )


@repeat_plans.rows(columns=(*PLAN_COLUMNS, ("Previous plans", "previous_plans")))
def _(period: Period, cell: str | None) -> QuerySet:
    qs = _started_in(period)
    return _plan_rows(qs if cell == "denominator" else qs.filter(REPEAT_EVER))


# --- CP-18 to CP-22: parents, disabled children, core groups, the child's voice ------------------

INVITED = Q(parents_invited=True)
ATTENDED = Q(parents_invited=True, parents_attended=True)


@figure(
    "CP-18",
    title="Parents at conferences",
    kind=Kind.PCT,
    section="child_protection",
    unit="%",
)
def parents_at_conferences(period: Period) -> Result:
    """Conferences held in the period (ICPC, transfer-in and RCPC, one per child) at which a
    parent attended, as a percentage of those to which the parents were invited (the Darlington
    basis: attended ÷ invited). The table splits initial and review conferences."""
    summary = conference_summary(period)
    row = {
        "n": summary["invited"], "yes": summary["attended"],
        "icpc_n": summary["icpc_invited"], "icpc_yes": summary["icpc_attended"],
        "rcpc_n": summary["rcpc_invited"], "rcpc_yes": summary["rcpc_attended"],
    }  # fmt: skip
    return Result(
        value=pct(row["yes"], row["n"]),
        numerator=row["yes"],
        denominator=row["n"],
        columns=["conference", "parents attended", "invited", "%"],
        table=[
            [
                "initial and transfer-in",
                row["icpc_yes"],
                row["icpc_n"],
                pct(row["icpc_yes"], row["icpc_n"]),
            ],
            ["review", row["rcpc_yes"], row["rcpc_n"], pct(row["rcpc_yes"], row["rcpc_n"])],
        ],  # fmt: skip
    )


@parents_at_conferences.rows(
    columns=(*CONFERENCE_COLUMNS, ("Parents invited", "parents_invited"),
             ("Parents attended", "parents_attended"))
)  # fmt: skip
def _(period: Period, cell: str | None) -> QuerySet:
    qs = conferences_held(period)
    return _order(qs.filter(INVITED if cell == "denominator" else ATTENDED))


@figure(
    "CP-20",
    title="Disabled children on plans on 31 March",
    kind=Kind.COUNT,
    section="child_protection",
    unit="children",
    covers="on 31 March",
    better="neither",
)
def disabled_on_plans(period: Period) -> Result:
    """Children on plans at the end of the period recorded as disabled."""
    return Result(value=plans_on_summary(period)["disabled"][""])


@disabled_on_plans.rows(columns=PLAN_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    return _plan_rows(_plans_on(period.end).filter(child__disability=True))


def _first_core_group_in_time() -> Exists:
    return Exists(
        CoreGroupMeeting.objects.filter(
            plan=OuterRef("pk"),
            held_on__gte=OuterRef("start"),
            held_on__lte=OuterRef("first_core_group_due"),
        )
    )


@figure(
    "CP-21",
    title="First core group within 10 working days",
    kind=Kind.PCT,
    section="child_protection",
    unit="%",
)
def core_groups(period: Period) -> Result:
    """Plans started in the period whose first core group met within 10 working days of the
    conference that started the plan (on or before the plan's first-core-group due date, which
    protection.rules sets with weekends and bank holidays excluded), as a percentage of plans
    started in the period."""
    qs = _started_in(period).annotate(_in_time=_first_core_group_in_time())
    row = qs.aggregate(n=Count("pk"), yes=Count("pk", filter=Q(_in_time=True)))
    return Result(value=pct(row["yes"], row["n"]), numerator=row["yes"], denominator=row["n"])


@core_groups.rows(columns=(*PLAN_COLUMNS, ("First core group due", "first_core_group_due")))
def _(period: Period, cell: str | None) -> QuerySet:
    qs = _started_in(period)
    if cell != "denominator":
        qs = qs.filter(_first_core_group_in_time())
    return _plan_rows(qs)


VIEWS_HEARD = Q(child_attended=True) | Q(child_views__in=CHILD_VIEWS_SHARED)


def _conferences_of_children_who_could_give_views(period: Period) -> QuerySet:
    return (
        conferences_held(period)
        .filter(child__date_of_birth__isnull=False, child__date_of_birth__lte=F("held_on"))
        .exclude(child_views=ChildViews.TOO_YOUNG)
    )


@figure(
    "CP-22",
    title="Child attended the conference or their views were shared",
    kind=Kind.PCT,
    section="child_protection",
    unit="%",
)
def child_views_at_conferences(period: Period) -> Result:
    """Conferences held in the period (one per child) at which the child attended or the
    child's views were given (in person, through an advocate, in writing or a recording, or by
    a professional), as a percentage of conferences of children born by then and not recorded
    as too young to give views. The table gives how the views came."""
    qs = _conferences_of_children_who_could_give_views(period)
    summary = conference_summary(period)
    row = {
        "n": summary["views_n"], "yes": summary["views_yes"],
        "attended": summary["views_attended"],
    }  # fmt: skip
    by_way = counts_by(qs.exclude(child_views=""), "child_views", list(ChildViews.values))
    return Result(
        value=pct(row["yes"], row["n"]),
        numerator=row["yes"],
        denominator=row["n"],
        columns=["how", "conferences"],
        table=[
            ["child attended", row["attended"]],
            *[[ChildViews(k).label, v] for k, v in by_way.items()],
        ],  # fmt: skip
    )


@child_views_at_conferences.rows(columns=(*CONFERENCE_COLUMNS, ("Child's views", "child_views")))
def _(period: Period, cell: str | None) -> QuerySet:
    qs = _conferences_of_children_who_could_give_views(period)
    return _order(qs if cell == "denominator" else qs.filter(VIEWS_HEARD))
