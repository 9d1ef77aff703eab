"""Area 6 of the figure catalogue (docs/figures.md): IRO caseloads and staffing (IRO-01 to IRO-05).

Staff history is iro.StaffRecord: FTE and contract (permanent or agency) by date, start and
leave dates. An IRO is in post on day D with the FTE of their record covering D
(valid_from <= D <= valid_to, or no valid_to). An IRO with no employment records at all counts
at their current FTE (User.fte) while their account is active.

Caseloads (IRO-01, IRO-02) are iro.selectors_caseload.caseloads_per_fte, the one answer to
"children per FTE IRO on a date" that the home page, the caseloads page and the API also read
(its docstring gives the basis): looked-after children (short breaks left out) with a CLA
allocation open on D, IROs in post on D with at least one such child, each at the FTE of their
employment record covering D. Numerator and denominator are the same set of IROs; children
allocated to someone not in post on D are counted apart, never silently. IRO-01 is the
service's ratio on the last day (children ÷ FTE, the definition of IRO-01 "ALLOC open on the date ÷ IRO
FTE"); IRO-02 is the spread of the IROs' own caseloads per FTE at each month end (mean, median,
mode, highest; the definition of IRO-02 "ALLOC at each month-end per IRO"). A month is read at its last
day.

Not computed here: IRO-06 (supervision) and IRO-07 (work outside reviews) need a supervision log
and an activity log, which the service does not hold yet.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache

from django.db.models import Count, Max, Min, Q, QuerySet, Sum

from iro import codes
from iro.codes import CONNECTED_CARER_PLACEMENTS as CONNECTED
from iro.codes import ETHNIC_GROUPS
from iro.db_router import reporting_connection
from iro.models import CareEpisode, Child, Contract, StaffRecord, User
from iro.roles import Role, group_name
from iro.rules import add_months
from iro.selectors_caseload import (
    CaseloadPerFte,
    caseloads_per_fte,
    cla_allocations_on,
    iros_in_post_on,
)
from reporting.figures.base import Kind, Period, Result, figure, pct, shared
from reporting.figures.cohorts import CHILD_COLUMNS
from reporting.figures.sources import rows_of

SECTION = "caseloads"

STAFF_COLUMNS = (
    ("Username", "username"),
    ("First name", "first_name"),
    ("Last name", "last_name"),
)

CASELOAD_SQL = """
-- Both CTEs are materialised: the month ends are worked out once (not once per episode and month
-- compared), and the episodes that overlap the period are read once and compared with each month
-- end in memory.
WITH months AS MATERIALIZED (
    SELECT (m + interval '1 month' - interval '1 day')::date AS d
    FROM generate_series(date_trunc('month', %(start)s::date),
                         date_trunc('month', %(end)s::date), interval '1 month') AS m
),
e AS MATERIALIZED (
    SELECT e.id, e.start, e."end", e.placement_type, e.legal_status
    FROM {episodes}
    WHERE e.legal_status NOT IN ('V3', 'V4')
      AND e.start <= %(end)s::date AND (e."end" IS NULL OR e."end" > %(start)s::date)
)
-- One row per child and month end: a child's episodes never overlap (the rule every service, the
-- SSDA903 import and the generator apply: iro.episode_rules.history_problems), so the episode
-- open at a month end is the child's, as for CLA-01. Counted with two scorecard groups (SC-05:
-- with connected carers, U1-U3; SC-06: placed at home on a care order, P1 with C1/C2).
SELECT to_char(months.d, 'YYYY-MM'),
       COUNT(e.id),
       COUNT(e.id) FILTER (WHERE e.placement_type IN {connected}),
       COUNT(e.id) FILTER (WHERE e.placement_type = 'P1' AND e.legal_status IN ('C1', 'C2'))
FROM months
LEFT JOIN e ON e.start <= months.d AND (e."end" IS NULL OR e."end" > months.d)
GROUP BY months.d
ORDER BY months.d
"""


EPISODE_FIELDS = ("id", "start", "end", "legal_status", "placement_type")


@cache
def _caseload_sql() -> str:
    episodes = rows_of(CareEpisode, "e", EPISODE_FIELDS)
    return CASELOAD_SQL.format(episodes=episodes, connected=repr(CONNECTED))


@shared
def caseloads_by_month(period: Period) -> dict[str, dict]:
    """Per month end of the period: children looked after, with connected carers and at home on
    a care order (CLA-02, SC-01, SC-02, SC-05, SC-06). One query."""
    with reporting_connection().cursor() as cursor:
        cursor.execute(_caseload_sql(), {"start": period.start, "end": period.end})
        rows = cursor.fetchall()
    return {
        key: {"in_care": in_care, "connected": connected, "home_on_order": home_on_order}
        for key, in_care, connected, home_on_order in rows
    }


@shared
def per_fte_by_month(period: Period) -> dict[str, CaseloadPerFte]:
    """iro.selectors_caseload.caseloads_per_fte at each month end of the period, by month key."""
    days = [m.end for m in period.months()]
    by_day = caseloads_per_fte(days=days)
    return {f"{d:%Y-%m}": by_day[d] for d in days}


def _allocated_children(day: date) -> QuerySet[Child]:
    """The children IRO-01 counts on `day`: looked after, with a CLA allocation open that day to
    an IRO in post that day (caseloads_per_fte's numerator)."""
    held = cla_allocations_on(day).filter(iro__in=iros_in_post_on(day))
    return Child.objects.filter(pk__in=held.values("child_id")).order_by("la_child_id")


@figure(
    "IRO-01",
    title="Looked-after children per FTE IRO on 31 March",
    kind=Kind.MEAN,
    section=SECTION,
    unit="children per FTE",
    covers="on 31 March",
    better="lower",
    target=70,
)
def average_caseload(period: Period) -> Result:
    """IRO-01: looked-after children per FTE IRO on the last day of the period: the children
    with a CLA allocation open that day to an IRO in post (numerator, drill-down) ÷ the FTE of
    those IROs (denominator), from iro.selectors_caseload.caseloads_per_fte, which states the
    basis. The definition of IRO-01: "ALLOC open on the date ÷ IRO FTE (or ÷ headcount; say which)":
    FTE, and looked-after children only (CP children are not added; the reports do not say).
    The target is the IRO Handbook's upper guidance, 70 per FTE. The table gives the parts,
    with the children allocated to someone not in post that day (not counted) and the mean of
    the IROs' own caseloads per FTE (IRO-02's measure) for comparison."""
    day = per_fte_by_month(period)[period.month_keys[-1]]
    return Result(
        value=day.per_fte,
        numerator=day.children,
        denominator=day.fte,
        columns=["Measure", "Value"],
        table=[
            ["Children per FTE", day.per_fte],
            ["Looked-after children allocated to IROs in post", day.children],
            ["FTE of those IROs", day.fte],
            ["IROs with a caseload", day.iros],
            ["Allocated to someone not in post (not counted)", day.not_in_post],
            ["Mean of the IROs' own caseloads per FTE (IRO-02)", day.mean],
        ],
    )


average_caseload.extra["denominator_rows"] = False


@average_caseload.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    return _allocated_children(period.end)


@figure(
    "IRO-02",
    title="Monthly caseload per FTE: mean, median, mode and highest",
    kind=Kind.MEAN,
    section=SECTION,
    unit="children per FTE",
    covers="each month end",
    better="lower",
    target=70,
)
def monthly_caseloads(period: Period) -> Result:
    """IRO-02 (BCT appendix table 2): at each month end, over the IROs in post with a caseload,
    each IRO's looked-after children ÷ their FTE, summarised as the mean, the median, the mode
    (the definition: "the caseload most IROs hold": each IRO's caseload per FTE rounded to a whole
    number, the value most IROs hold; ties go to the value nearest the mean, then the smaller)
    and the highest, with the children in care that day. The basis is
    iro.selectors_caseload.caseloads_per_fte (shared with IRO-01). With a few dozen IROs, a
    mode over whole numbers swings between months (two IROs more on one number moves it), so
    the median is shown beside it as the steadier middle. ``months`` holds the mean; the value
    is the mean of the monthly means."""
    rows = per_fte_by_month(period)
    means = [r.mean for r in rows.values() if r.mean is not None]
    return Result(
        value=round(sum(means) / len(means), 1) if means else None,
        months={k: r.mean for k, r in rows.items()},
        columns=[
            "Month",
            "Mean per FTE",
            "Median per FTE",
            "Mode per FTE",
            "Highest per FTE",
            "Children in care",
        ],
        table=[[k, r.mean, r.median, r.mode, r.highest, r.in_care] for k, r in rows.items()],
    )


# --- Staff: establishment, turnover, diversity ------------------------------------------------


def _iros() -> QuerySet[User]:
    return User.objects.filter(groups__name=group_name(Role.IRO))


def _records_on(day: date) -> QuerySet[StaffRecord]:
    return StaffRecord.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        valid_from__lte=day,
        user__in=_iros(),
    )


@figure(
    "IRO-03",
    title="IRO establishment (FTE) on 31 March",
    kind=Kind.COUNT,
    section=SECTION,
    unit="FTE",
    covers="on 31 March",
    better="neither",
)
def establishment(period: Period) -> Result:
    """IROs in post on the last day of the period (31 March, which is also the 1 April position
    BCT prints for the next year) from their employment records: total FTE (value), FTE by
    contract (permanent, agency; breakdown) and headcount (table). Vacancies are not held (the
    service records people, not posts)."""
    rows = dict(
        _records_on(period.end)
        .order_by()
        .values_list("contract")
        .annotate(f=Sum("fte"))
        .values_list("contract", "f")
    )
    heads = dict(
        _records_on(period.end)
        .order_by()
        .values_list("contract")
        .annotate(n=Count("user", distinct=True))
        .values_list("contract", "n")
    )
    fte = {c.value: float(rows.get(c.value) or Decimal(0)) for c in Contract}
    return Result(
        value=round(sum(fte.values()), 2),
        breakdown=fte,
        columns=["Contract", "FTE", "Headcount"],
        table=[
            *[[c.label, fte[c.value], heads.get(c.value, 0)] for c in Contract],
            ["Total", round(sum(fte.values()), 2), sum(heads.values())],
        ],
    )


@establishment.rows(columns=STAFF_COLUMNS, child_path=None)
def _(period: Period, cell: str | None) -> QuerySet:
    records = _records_on(period.end)
    if cell in Contract.values:
        records = records.filter(contract=cell)
    return User.objects.filter(pk__in=records.values("user_id")).order_by("last_name", "pk")


def _staff_dates() -> QuerySet[User]:
    return _iros().annotate(
        first_day=Min("staff_records__valid_from"),
        last_day=Max("staff_records__valid_to"),
        open_records=Count("staff_records", filter=Q(staff_records__valid_to__isnull=True)),
    )


TENURE = ["in post under 2 years", "in post 2 to under 5 years", "in post 5 years or more"]


def _turnover_cells(period: Period) -> dict[str, Q]:
    day = period.end
    in_post = Q(first_day__lte=day) & (Q(open_records__gt=0) | Q(last_day__gte=day))
    return {
        "left": Q(open_records=0, last_day__gte=period.start, last_day__lte=period.end),
        "joined": Q(first_day__gte=period.start, first_day__lte=period.end),
        TENURE[0]: in_post & Q(first_day__gt=add_months(day, -24)),
        TENURE[1]: in_post
        & Q(first_day__lte=add_months(day, -24), first_day__gt=add_months(day, -60)),
        TENURE[2]: in_post & Q(first_day__lte=add_months(day, -60)),
    }


@figure(
    "IRO-04",
    title="IROs who left",
    kind=Kind.COUNT,
    section=SECTION,
    unit="IROs",
    better="lower",
)
def turnover(period: Period) -> Result:
    """Staff turnover from the employment records: IROs who left in the period (their last record
    ended in it and none is open; value), IROs who joined (first record started in it), and the
    time in post on 31 March of those in post (under 2 years, 2 to under 5, 5 or more, from the
    first record's start). The table adds the FTE and contracts of the leavers (BCT counts
    "3.5 permanent IROs left")."""
    cells = _turnover_cells(period)
    aliases = {f"c{i}": key for i, key in enumerate(cells)}
    counted = (
        _staff_dates()
        .order_by()
        .aggregate(**{a: Count("pk", filter=cells[k]) for a, k in aliases.items()})
    )
    breakdown = {k: counted[a] for a, k in aliases.items()}
    left_fte = dict(
        StaffRecord.objects.filter(
            user__in=_staff_dates().filter(cells["left"]).values("pk"),
            valid_to__gte=period.start,
            valid_to__lte=period.end,
        )
        .order_by()
        .values_list("contract")
        .annotate(f=Sum("fte"))
        .values_list("contract", "f")
    )
    return Result(
        value=breakdown["left"],
        breakdown=breakdown,
        columns=["Leavers' contract", "FTE"],
        table=[[c.label, float(left_fte.get(c.value) or 0)] for c in Contract],
    )


@turnover.rows(columns=STAFF_COLUMNS, child_path=None)
def _(period: Period, cell: str | None) -> QuerySet:
    cells = _turnover_cells(period)
    return _staff_dates().filter(cells[cell or "left"]).order_by("last_name", "pk")


STAFF_GROUPS = ["White", "Mixed", "Asian or Asian British", "Black or Black British", "Other"]


@figure(
    "IRO-05",
    title="IRO workforce on 31 March by sex and ethnicity",
    kind=Kind.COUNT,
    section=SECTION,
    unit="IROs",
    covers="on 31 March",
    better="neither",
    labels=codes.Sex,
)
def diversity(period: Period) -> Result:
    """IROs in post on 31 March (headcount, value) by sex (M, F, or "not recorded") and by broad
    ethnic group (White, Mixed, Asian or Asian British, Black or Black British, Other; refused,
    not obtained and blank count as "ethnicity not recorded"), from the workforce monitoring
    fields on the staff record (User.sex, User.ethnicity). Shares in the table."""
    people = User.objects.filter(pk__in=_records_on(period.end).values("user_id"))
    cells = _diversity_cells()
    aliases = {f"c{i}": key for i, key in enumerate(cells)}
    counted = people.aggregate(
        total=Count("pk"), **{a: Count("pk", filter=cells[k]) for a, k in aliases.items()}
    )
    breakdown = {k: counted[a] for a, k in aliases.items()}
    total = counted["total"]
    return Result(
        value=total,
        breakdown=breakdown,
        columns=["Group", "IROs", "%"],
        table=[[k, n, pct(n, total)] for k, n in breakdown.items()],
    )


def _diversity_cells() -> dict[str, Q]:
    known = [c for g in STAFF_GROUPS if g in ETHNIC_GROUPS for c in ETHNIC_GROUPS[g]]
    other = ETHNIC_GROUPS["Other ethnic group"]
    cells = {
        "M": Q(sex__in=["M", "1"]),
        "F": Q(sex__in=["F", "2"]),
        "sex not recorded": ~Q(sex__in=["M", "1", "F", "2"]),
    }
    for g in STAFF_GROUPS:
        cells[g] = Q(ethnicity__in=ETHNIC_GROUPS.get(g, other))
    cells["ethnicity not recorded"] = ~Q(ethnicity__in=known + other)
    return cells


@diversity.rows(columns=STAFF_COLUMNS, child_path=None)
def _(period: Period, cell: str | None) -> QuerySet:
    people = User.objects.filter(pk__in=_records_on(period.end).values("user_id"))
    if cell is not None:
        people = people.filter(_diversity_cells()[cell])
    return people.order_by("last_name", "pk")
