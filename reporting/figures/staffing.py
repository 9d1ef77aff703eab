"""Area 6 of the figure catalogue (docs/figures.md): IRO caseloads and staffing (IRO-01 to IRO-05).

Staff history is iro.StaffRecord: FTE and contract (permanent or agency) by date, start and
leave dates. An IRO is in post on day D with the FTE of their record covering D
(valid_from <= D <= valid_to, or no valid_to). An IRO with no employment records at all counts
at their current FTE (User.fte) while their account is active.

Caseloads (IRO-01, IRO-02) are on one basis: an IRO's caseload on D is the number of children
looked after on D (short breaks left out) with an open CLA allocation to them; caseload per FTE
is that number divided by the IRO's FTE on D. Only children in care are counted (the IRO
Handbook's 50-70 guidance is for looked-after children; CP children chaired by the same IROs are
not added). IROs with no caseload on D are left out of the mean, mode and highest (they are new
starters or hold other duties); an IRO with a caseload but not in post on D (no record covers D)
is left out of the per-FTE figures, as their FTE is unknown.

Not computed here: IRO-06 (supervision) and IRO-07 (work outside reviews) need a supervision log
and an activity log, which the service does not hold yet.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Max, Min, Q, QuerySet, Sum

from iro.codes import CONNECTED_CARER_PLACEMENTS as CONNECTED
from iro.codes import ETHNIC_GROUPS
from iro.models import Child, Contract, StaffRecord, User
from iro.roles import Role, group_name
from iro.rules import add_months
from iro.selectors_caseload import cla_allocations_on
from reporting.figures.base import Kind, Period, Result, figure, pct, shared
from reporting.figures.cohorts import CHILD_COLUMNS

SECTION = "caseloads"

STAFF_COLUMNS = (
    ("Username", "username"),
    ("First name", "first_name"),
    ("Last name", "last_name"),
)

# The FTE of IRO `u` on day `d` (SQL; used inside the caseload query).
FTE_SQL = """
COALESCE(
    (SELECT s.fte FROM iro_staffrecord s
      WHERE s.user_id = u.id AND s.valid_from <= {d} AND (s.valid_to IS NULL OR s.valid_to >= {d})
      ORDER BY s.valid_from DESC LIMIT 1),
    CASE WHEN u.is_active AND NOT EXISTS (SELECT 1 FROM iro_staffrecord s WHERE s.user_id = u.id)
         THEN u.fte END
)
"""

CASELOAD_SQL = f"""
WITH months AS (
    SELECT (m + interval '1 month' - interval '1 day')::date AS d
    FROM generate_series(date_trunc('month', %(start)s::date),
                         date_trunc('month', %(end)s::date), interval '1 month') AS m
),
-- One row per child and month end: a child's episodes never overlap (the rule every service, the
-- SSDA903 import and the generator apply: iro.episode_rules.history_problems), so the episode
-- open at a month end is the child's, as for CLA-01. No DISTINCT: sorting a million rows
-- (12 months of 84,000 children) was most of this query's time at national scale.
looked_after AS (
    SELECT months.d, e.child_id, e.placement_type, e.legal_status
    FROM months
    JOIN iro_careepisode e
      ON e.start <= months.d AND (e."end" IS NULL OR e."end" > months.d)
     AND e.legal_status NOT IN ('V3', 'V4')
    WHERE e.start <= %(end)s::date AND (e."end" IS NULL OR e."end" > %(start)s::date)
),
-- Each child looked after at each month end with the IRO allocated then (none: NULL), counted
-- in one pass: caseloads per IRO, and the children in care with two scorecard groups of them
-- (SC-05: with connected carers, U1-U3; SC-06: placed at home on a care order, P1 with C1/C2).
by_iro AS (
    SELECT la.d, a.iro_id, COUNT(*) AS n,
           COUNT(*) FILTER (WHERE la.placement_type IN {CONNECTED!r}) AS connected,
           COUNT(*) FILTER (WHERE la.placement_type = 'P1' AND la.legal_status IN ('C1', 'C2'))
               AS home_on_order
    FROM looked_after la
    LEFT JOIN iro_allocation a
      ON a.child_id = la.child_id AND a.role = 'cla'
     AND a.start <= la.d AND (a."end" IS NULL OR a."end" > la.d)
     -- Implied by the month ends lying in the period; lets the planner leave out the years of
     -- allocations before it (the (role, start) index) instead of hashing them all.
     AND a.start <= %(end)s::date AND (a."end" IS NULL OR a."end" > %(start)s::date)
    GROUP BY la.d, a.iro_id
),
loads AS (SELECT d, iro_id, n FROM by_iro WHERE iro_id IS NOT NULL),
with_fte AS (
    SELECT l.d, l.n, {FTE_SQL.format(d="l.d")} AS fte
    FROM loads l JOIN iro_user u ON u.id = l.iro_id
),
per_fte AS (
    SELECT d, n, fte, n / fte AS load FROM with_fte
),
stats AS (
    SELECT d, SUM(n) AS allocated, AVG(load) AS mean, MAX(load) AS highest, COUNT(*) AS iros,
           SUM(fte) AS fte
    FROM per_fte WHERE load IS NOT NULL GROUP BY d
),
all_allocated AS (SELECT d, SUM(n) AS n FROM loads GROUP BY d),
modes AS (
    SELECT DISTINCT ON (f.d) f.d, f.r
    FROM (SELECT d, round(load) AS r, COUNT(*) AS k FROM per_fte
          WHERE load IS NOT NULL GROUP BY d, round(load)) f
    JOIN stats ON stats.d = f.d
    ORDER BY f.d, f.k DESC, abs(f.r - stats.mean), f.r
),
in_care AS (
    SELECT d, SUM(n)::bigint AS n, SUM(connected)::bigint AS connected,
           SUM(home_on_order)::bigint AS home_on_order
    FROM by_iro GROUP BY d
)
SELECT to_char(months.d, 'YYYY-MM'),
       COALESCE(in_care.n, 0),
       COALESCE(stats.allocated, 0), stats.mean, modes.r, stats.highest, COALESCE(stats.iros, 0),
       stats.fte, COALESCE(all_allocated.n, 0),
       COALESCE(in_care.connected, 0), COALESCE(in_care.home_on_order, 0)
FROM months
LEFT JOIN in_care ON in_care.d = months.d
LEFT JOIN all_allocated ON all_allocated.d = months.d
LEFT JOIN stats ON stats.d = months.d
LEFT JOIN modes ON modes.d = months.d
ORDER BY months.d
"""


def _one(value) -> float | None:
    return round(float(value), 1) if value is not None else None


@shared
def caseloads_by_month(period: Period) -> dict[str, dict]:
    """Per month end of the period: children in care, children allocated (to IROs in post),
    mean, mode and highest caseload per FTE, IROs counted. One query."""
    with connection.cursor() as cursor:
        cursor.execute(CASELOAD_SQL, {"start": period.start, "end": period.end})
        rows = cursor.fetchall()
    return {
        key: {
            "in_care": in_care,
            "allocated": int(allocated),
            "mean": _one(mean),
            "mode": int(mode) if mode is not None else None,
            "highest": _one(highest),
            "iros": iros,
            "fte": float(fte) if fte is not None else None,
            "all_allocated": int(all_allocated),
            "connected": connected,
            "home_on_order": home_on_order,
        }
        for (
            key,
            in_care,
            allocated,
            mean,
            mode,
            highest,
            iros,
            fte,
            all_allocated,
            connected,
            home_on_order,
        ) in rows  # fmt: skip
    }


def _allocated_children(day: date) -> QuerySet[Child]:
    return Child.objects.filter(pk__in=cla_allocations_on(day).values("child_id")).order_by(
        "la_child_id"
    )


@figure(
    "IRO-01",
    title="Average IRO caseload per FTE on 31 March",
    kind=Kind.MEAN,
    section=SECTION,
    unit="children per FTE",
    covers="on 31 March",
    better="lower",
    target=70,
)
def average_caseload(period: Period) -> Result:
    """Mean caseload per FTE on the last day of the period: for each IRO in post with at least
    one looked-after child allocated, children / FTE; the mean of those (see the module notes
    for the basis, shared with IRO-02). The target is the IRO Handbook's upper guidance, 70 per
    FTE. Numerator: children looked after with an open CLA allocation that day (drill-down);
    denominator: the FTE of the IROs who hold them."""
    last = caseloads_by_month(period)[period.month_keys[-1]]
    return Result(
        value=last["mean"],
        numerator=last["all_allocated"],
        denominator=last["fte"],
        columns=["Measure", "Value"],
        table=[
            ["Mean per FTE", last["mean"]],
            ["Mode per FTE", last["mode"]],
            ["Highest per FTE", last["highest"]],
            ["IROs with a caseload", last["iros"]],
        ],
    )


average_caseload.extra["denominator_rows"] = False


@average_caseload.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    return _allocated_children(period.end)


@figure(
    "IRO-02",
    title="Monthly caseload per FTE: mean, mode and highest",
    kind=Kind.MEAN,
    section=SECTION,
    unit="children per FTE",
    covers="each month end",
    better="lower",
    target=70,
)
def monthly_caseloads(period: Period) -> Result:
    """BCT appendix table 2: at each month end, the mean caseload per FTE (as IRO-01), the mode
    (the caseload per FTE most IROs hold, each rounded to a whole number; where several values
    are held by equally many IROs, the one nearest the mean, then the smaller), the highest individual caseload per FTE, and the children in care that day. All
    three on the same per-FTE basis (module notes). ``months`` holds the mean; value is the mean
    of the twelve monthly means."""
    rows = caseloads_by_month(period)
    means = [r["mean"] for r in rows.values() if r["mean"] is not None]
    return Result(
        value=round(sum(means) / len(means), 1) if means else None,
        months={k: r["mean"] for k, r in rows.items()},
        columns=["Month", "Mean per FTE", "Mode per FTE", "Highest per FTE", "Children in care"],
        table=[[k, r["mean"], r["mode"], r["highest"], r["in_care"]] for k, r in rows.items()],
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
