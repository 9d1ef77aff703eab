"""Reads for allocation and caseload balance, computed in the database.

Definitions:
- An allocation is open on date D when start <= D and it has no end or ends after D (a
  reallocation on D closes the old allocation on D and opens the new one on D).
- CLA caseload of an IRO on D: children with an open CLA allocation to that IRO who are looked
  after on D (iro.selectors.looked_after_episodes_on: short breaks excluded).
- CP caseload: children with an open CP allocation to that IRO who are on a CP plan on D
  (iro.selectors.cp_plan_child_ids, filled by the protection app; empty until it registers).
- Dual: children in both. Distinct children: CLA + CP - dual.
- Children per FTE: distinct children / FTE, compared with ServiceSettings guidance (50-70).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce

from iro.models import Allocation, AllocationRole, Child, ServiceSettings, User
from iro.roles import Role, group_name
from iro.selectors import cp_plan_child_ids, looked_after_episodes_on


def open_on(on: date) -> Q:
    return Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gt=on))


def iros(team=None) -> QuerySet[User]:
    qs = User.objects.filter(groups__name=group_name(Role.IRO), is_active=True)
    if team is not None:
        qs = qs.filter(team=team)
    return qs


def cla_allocations_on(on: date) -> QuerySet[Allocation]:
    return Allocation.objects.filter(open_on(on), role=AllocationRole.CLA).filter(
        child_id__in=looked_after_episodes_on(on).values("child_id")
    )


def cp_allocations_on(on: date) -> QuerySet[Allocation]:
    return Allocation.objects.filter(open_on(on), role=AllocationRole.CP).filter(
        child_id__in=cp_plan_child_ids(on)
    )


def _count_per_iro(qs: QuerySet) -> Coalesce:
    counted = (
        qs.filter(iro=OuterRef("pk"))
        .order_by()
        .values("iro")
        .annotate(n=Count("child", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def caseload_rows(*, on: date, team=None) -> QuerySet[User]:
    """Each IRO with cla, cp, dual, children (distinct) and per_fte on `on`: one query."""
    cla = cla_allocations_on(on)
    cp = cp_allocations_on(on)
    dual = cla.filter(Exists(cp.filter(iro=OuterRef("iro"), child=OuterRef("child"))))
    return (
        iros(team)
        .select_related("team")
        .annotate(cla=_count_per_iro(cla), cp=_count_per_iro(cp), dual=_count_per_iro(dual))
        .annotate(children=F("cla") + F("cp") - F("dual"))
        .annotate(per_fte=Cast(F("children"), FloatField()) / Cast(F("fte"), FloatField()))
        .order_by("last_name", "first_name", "username")
    )


@dataclass(frozen=True)
class Band:
    label: str
    tag: str


def guidance_band(per_fte: float, settings: ServiceSettings) -> Band:
    """Where a caseload per FTE sits against the guidance range."""
    if per_fte > settings.caseload_guidance_max:
        return Band("Above guidance", "govuk-tag--red")
    if per_fte < settings.caseload_guidance_min:
        return Band("Below guidance", "govuk-tag--blue")
    return Band("Within guidance", "govuk-tag--green")


MONTHLY_SQL = """
WITH months AS (
    SELECT LEAST(
        (date_trunc('month', %(today)s::date) - make_interval(months => g)
            + interval '1 month' - interval '1 day')::date,
        %(today)s::date
    ) AS d
    FROM generate_series(0, 11) AS g
),
looked_after AS (
    -- No DISTINCT: a child's episodes never overlap (every path that writes them checks
    -- iro.episode_rules), so a child is in care through at most one episode on a day.
    SELECT m.d, e.child_id
    FROM months m
    JOIN iro_careepisode e
      ON e.start <= m.d AND (e."end" IS NULL OR e."end" > m.d)
     AND e.legal_status NOT IN ('V3', 'V4')
    -- Only episodes that overlap the twelve months: the planner then skips most of the history.
    WHERE e.start <= (SELECT MAX(d) FROM months)
      AND (e."end" IS NULL OR e."end" > (SELECT MIN(d) FROM months))
),
loads AS (
    SELECT la.d, a.iro_id, COUNT(DISTINCT a.child_id) AS n
    FROM looked_after la
    JOIN iro_allocation a
      ON a.child_id = la.child_id AND a.role = 'cla'
     AND a.start <= la.d AND (a."end" IS NULL OR a."end" > la.d)
    JOIN iro_user u ON u.id = a.iro_id
    WHERE (%(team)s::bigint IS NULL OR u.team_id = %(team)s::bigint)
      -- As for the episodes: only allocations that overlap the twelve months.
      AND a.start <= (SELECT MAX(d) FROM months)
      AND (a."end" IS NULL OR a."end" > (SELECT MIN(d) FROM months))
    GROUP BY la.d, a.iro_id
),
in_care AS (
    SELECT d, COUNT(*) AS n FROM looked_after GROUP BY d
)
SELECT m.d,
       COALESCE(MAX(ic.n), 0) AS cic,
       AVG(l.n / u.fte) AS mean_per_fte,
       mode() WITHIN GROUP (ORDER BY l.n) AS mode,
       MAX(l.n) AS highest,
       COUNT(l.iro_id) AS iros
FROM months m
LEFT JOIN in_care ic ON ic.d = m.d
LEFT JOIN loads l ON l.d = m.d
LEFT JOIN iro_user u ON u.id = l.iro_id
GROUP BY m.d
ORDER BY m.d
"""


@dataclass(frozen=True)
class MonthCaseload:
    on: date
    children_in_care: int
    mean_per_fte: float | None
    mode: int | None
    highest: int | None
    iros: int


def monthly_caseloads(*, today: date, team=None) -> list[MonthCaseload]:
    """Birmingham report table 2: per month (last 12, at each month end, the current month at
    today) the mean CLA caseload per FTE across IROs with a caseload, the mode of caseloads (the
    number most IROs have; ties go to the smallest), the highest individual caseload, and the
    children in care that day. One query.
    """
    with connection.cursor() as cursor:
        cursor.execute(MONTHLY_SQL, {"today": today, "team": getattr(team, "pk", team)})
        rows = cursor.fetchall()
    return [
        MonthCaseload(
            on=row[0],
            children_in_care=row[1],
            mean_per_fte=round(float(row[2]), 1) if row[2] is not None else None,
            mode=row[3],
            highest=row[4],
            iros=row[5],
        )
        for row in rows
    ]


def team_summary(rows: list[User]) -> dict:
    """Totals across the IRO rows already fetched (a few dozen IROs, not children)."""
    per_fte = [row.per_fte for row in rows if row.children]  # type: ignore[attr-defined]
    return {
        "iros": len(rows),
        "fte": sum(row.fte for row in rows),
        "children": sum(row.children for row in rows),  # type: ignore[attr-defined]
        "mean_per_fte": round(statistics.mean(per_fte), 1) if per_fte else None,
        "highest": max((row.children for row in rows), default=0),  # type: ignore[attr-defined]
    }


def iro_caseload_children(*, iro: User, on: date, visible: QuerySet[Child]) -> QuerySet[Child]:
    """Children with an open allocation to `iro`, with the roles held: one query."""
    from iro.selectors import annotate_status

    cla = Allocation.objects.filter(
        open_on(on), child=OuterRef("pk"), iro=iro, role=AllocationRole.CLA
    )
    cp = Allocation.objects.filter(
        open_on(on), child=OuterRef("pk"), iro=iro, role=AllocationRole.CP
    )
    qs = visible.filter(Q(Exists(cla)) | Q(Exists(cp))).annotate(
        allocated_cla=Exists(cla), allocated_cp=Exists(cp)
    )
    return annotate_status(qs, on).select_related("area").order_by("last_name", "first_name")


@dataclass(frozen=True)
class Suggestion:
    iro: User
    reason: str


def suggest_iro(*, child: Child, role: str, on: date, team=None) -> Suggestion | None:
    """The IRO to suggest for `child` in `role`, in this order:

    1. the IRO of a sibling (same sibling group, open allocation; same role first);
    2. the child's previous CP chair (CP allocation, open or most recent), for continuity;
    3. the IRO with the lowest caseload per FTE in the team.
    """
    active = iros(team)
    if child.sibling_group_id:
        sibling = (
            Allocation.objects.filter(
                child__sibling_group_id=child.sibling_group_id,
                end__isnull=True,
                iro__in=active,
            )
            .exclude(child=child)
            .select_related("iro", "child")
            .annotate(same_role=Q(role=role))
            .order_by("-same_role", "-start", "-pk")
            .first()
        )
        if sibling is not None:
            return Suggestion(sibling.iro, f"Allocated to a sibling, {sibling.child.first_name}")
    chair = (
        Allocation.objects.filter(child=child, role=AllocationRole.CP, iro__in=active)
        .select_related("iro")
        .order_by(F("end").desc(nulls_first=True), "-start", "-pk")
        .first()
    )
    if chair is not None:
        return Suggestion(chair.iro, "The child's child protection chair")
    lowest = caseload_rows(on=on, team=team).order_by("per_fte", "last_name", "pk").first()  # type: ignore[misc]
    if lowest is not None:
        return Suggestion(lowest, f"Lowest caseload per FTE ({lowest.per_fte:.0f})")  # type: ignore[attr-defined]
    return None
