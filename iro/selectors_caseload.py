"""Reads for allocation and caseload balance, computed in the database.

Definitions:
- An allocation is open on date D when start <= D and it has no end or ends after D (a
  reallocation on D closes the old allocation on D and opens the new one on D).
- CLA caseload of an IRO on D: children with an open CLA allocation to that IRO who are looked
  after on D (iro.selectors.looked_after_episodes_on: short breaks excluded).
- CP caseload: children with an open CP allocation to that IRO who are on a CP plan on D
  (iro.selectors.cp_plan_child_ids, filled by the protection app; empty until it registers).
- Dual: children in both. Distinct children: CLA + CP - dual.
- Children per FTE: caseloads_per_fte, the one definition every page and figure reads
  (looked-after children ÷ FTE of IROs in post on the day), compared with ServiceSettings
  guidance (50-70).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

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
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce

from iro.db_router import reporting_connection
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
    """Each IRO with cla, cp, dual, children (distinct), fte_on (their FTE on `on`, None when
    not in post) and per_fte on `on`: one query. per_fte is looked-after children ÷ FTE on the
    day, the basis of caseloads_per_fte (IRO-01, IRO-02); CP and dual children are shown beside
    it."""
    cla = cla_allocations_on(on)
    cp = cp_allocations_on(on)
    dual = cla.filter(Exists(cp.filter(iro=OuterRef("iro"), child=OuterRef("child"))))
    fte_on = RawSQL(
        FTE_ON_SQL.format(user='"iro_user"', d="%s::date"), (on, on), output_field=FloatField()
    )
    return (
        iros(team)
        .select_related("team")
        .annotate(cla=_count_per_iro(cla), cp=_count_per_iro(cp), dual=_count_per_iro(dual))
        .annotate(children=F("cla") + F("cp") - F("dual"), fte_on=fte_on)
        .annotate(per_fte=Cast(F("cla"), FloatField()) / F("fte_on"))
        .order_by("last_name", "first_name", "username")
    )


@dataclass(frozen=True)
class Band:
    label: str
    tag: str


def guidance_band(per_fte: float | None, settings: ServiceSettings) -> Band:
    """Where a caseload per FTE sits against the guidance range."""
    if per_fte is None:
        return Band("Not in post", "govuk-tag--grey")
    if per_fte > settings.caseload_guidance_max:
        return Band("Above guidance", "govuk-tag--red")
    if per_fte < settings.caseload_guidance_min:
        return Band("Below guidance", "govuk-tag--blue")
    return Band("Within guidance", "govuk-tag--green")


# The FTE of IRO `{user}` (an iro_user row) on day `{d}`, from their employment records
# (iro.StaffRecord): the record covering the day; an IRO with no records at all counts at their
# account's FTE while the account is active. NULL means not in post that day (left, or not yet
# started).
FTE_ON_SQL = """
COALESCE(
    (SELECT s.fte FROM iro_staffrecord s
      WHERE s.user_id = {user}.id AND s.valid_from <= {d}
        AND (s.valid_to IS NULL OR s.valid_to >= {d})
      ORDER BY s.valid_from DESC LIMIT 1),
    CASE WHEN {user}.is_active
          AND NOT EXISTS (SELECT 1 FROM iro_staffrecord s WHERE s.user_id = {user}.id)
         THEN {user}.fte END
)
"""

CASELOAD_PER_FTE_SQL = f"""
WITH days AS (SELECT DISTINCT unnest(%(days)s::date[]) AS d),
bounds AS (SELECT MIN(d) AS lo, MAX(d) AS hi FROM days),
looked_after AS (
    -- No DISTINCT: a child's episodes never overlap (iro.episode_rules), so a child is in care
    -- through at most one episode on a day.
    SELECT days.d, e.child_id
    FROM days
    JOIN iro_careepisode e
      ON e.start <= days.d AND (e."end" IS NULL OR e."end" > days.d)
     AND e.legal_status NOT IN ('V3', 'V4')
    -- Only episodes that overlap the days asked for: the planner skips most of the history.
    WHERE e.start <= (SELECT hi FROM bounds)
      AND (e."end" IS NULL OR e."end" > (SELECT lo FROM bounds))
),
held AS (
    SELECT la.d, a.iro_id, COUNT(DISTINCT la.child_id) AS n
    FROM looked_after la
    JOIN iro_allocation a
      ON a.child_id = la.child_id AND a.role = 'cla'
     AND a.start <= la.d AND (a."end" IS NULL OR a."end" > la.d)
    WHERE a.start <= (SELECT hi FROM bounds)
      AND (a."end" IS NULL OR a."end" > (SELECT lo FROM bounds))
    GROUP BY la.d, a.iro_id
),
per_iro AS (
    SELECT h.d, h.n, {FTE_ON_SQL.format(user="u", d="h.d")} AS fte
    FROM held h JOIN iro_user u ON u.id = h.iro_id
    WHERE %(team)s::bigint IS NULL OR u.team_id = %(team)s::bigint
),
counted AS (SELECT d, n, fte, n / fte AS load FROM per_iro WHERE fte IS NOT NULL),
stats AS (
    SELECT d, SUM(n) AS children, SUM(fte) AS fte, COUNT(*) AS iros, AVG(load) AS mean,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY load) AS median, MAX(load) AS highest
    FROM counted GROUP BY d
),
modes AS (
    SELECT DISTINCT ON (f.d) f.d, f.r
    FROM (SELECT d, round(load) AS r, COUNT(*) AS k FROM counted GROUP BY d, round(load)) f
    JOIN stats ON stats.d = f.d
    ORDER BY f.d, f.k DESC, abs(f.r - stats.mean), f.r
),
not_in_post AS (SELECT d, SUM(n) AS n FROM per_iro WHERE fte IS NULL GROUP BY d),
in_care AS (SELECT d, COUNT(*) AS n FROM looked_after GROUP BY d)
SELECT days.d, COALESCE(stats.children, 0), stats.fte, COALESCE(stats.iros, 0), stats.mean,
       stats.median, modes.r, stats.highest, COALESCE(not_in_post.n, 0), COALESCE(in_care.n, 0)
FROM days
LEFT JOIN stats ON stats.d = days.d
LEFT JOIN modes ON modes.d = days.d
LEFT JOIN not_in_post ON not_in_post.d = days.d
LEFT JOIN in_care ON in_care.d = days.d
ORDER BY days.d
"""


@dataclass(frozen=True)
class CaseloadPerFte:
    """Children per FTE IRO on one day (see caseloads_per_fte)."""

    on: date
    children: int  # looked-after children allocated to the IROs counted (numerator)
    fte: float | None  # those IROs' FTE on the day (denominator)
    iros: int  # IROs in post on the day with at least one looked-after child
    mean: float | None  # mean of the IROs' own caseloads per FTE (IRO-02)
    median: float | None
    mode: int | None  # the caseload per FTE (rounded) most IROs hold
    highest: float | None
    not_in_post: int  # looked-after children allocated to someone not in post that day
    in_care: int  # children looked after that day (service-wide)

    @property
    def per_fte(self) -> float | None:
        """IRO-01: children ÷ FTE of the IROs who hold them, 1 decimal place."""
        return round(self.children / self.fte, 1) if self.fte else None


def _one(value) -> float | None:
    return round(float(value), 1) if value is not None else None


def caseloads_per_fte(*, days: list[date], team=None) -> dict[date, CaseloadPerFte]:
    """The one answer to "how many children per FTE IRO on a date", for each of `days`, in one
    query. The home page, the caseloads page (today and its monthly table), the annual report's
    and scorecard's IRO-01 and IRO-02 and the API all read it.

    The basis (the definition of IRO-01 "ALLOC open on the date ÷ IRO FTE", IRO-02 "ALLOC at each
    month-end per IRO; STAFF.FTE"):
    - a child counts on day D when looked after on D (short breaks V3/V4 left out) with a CLA
      allocation open on D (start <= D, no end or end > D). Looked-after children only: the IRO
      Handbook's 50-70 per FTE guidance is for looked-after children (docs/rules.md section 1, "The
      IRO"); CP children the same IROs chair are on the caseloads page beside it, not added.
    - an IRO counts on D when in post on D (an employment record covers D, or they have no
      records and an active account) and holds at least one such child; their FTE is the
      record's. Numerator and denominator are the same set: the children of the IROs counted,
      and those IROs' FTE. Children allocated to someone not in post on D (none, since
      iro.services.allocations refuses it, but old data may hold some) are counted apart in
      ``not_in_post`` and never dropped silently.
    - per_fte (IRO-01) = children ÷ FTE, the service's ratio; mean, median, mode and highest
      (IRO-02) are over each IRO's own caseload ÷ their FTE. The mode is of caseloads per FTE
      rounded to whole numbers (ties: nearest the mean, then the smaller); with a few dozen IROs
      it swings from month to month, so the median is given beside it.
    - `team` limits the IROs to one team; ``in_care`` is always service-wide.
    """
    if not days:
        return {}
    # The primary for pages; the replica when a figure (IRO-01) reads it (iro.db_router).
    with reporting_connection().cursor() as cursor:
        cursor.execute(
            CASELOAD_PER_FTE_SQL, {"days": list(days), "team": getattr(team, "pk", team)}
        )
        rows = cursor.fetchall()
    return {
        row[0]: CaseloadPerFte(
            on=row[0],
            children=int(row[1]),
            fte=float(row[2]) if row[2] is not None else None,
            iros=row[3],
            mean=_one(row[4]),
            median=_one(row[5]),
            mode=int(row[6]) if row[6] is not None else None,
            highest=_one(row[7]),
            not_in_post=int(row[8]),
            in_care=row[9],
        )
        for row in rows
    }


def caseload_per_fte_on(*, on: date, team=None) -> CaseloadPerFte:
    """Children per FTE IRO on one day (caseloads_per_fte)."""
    return caseloads_per_fte(days=[on], team=team)[on]


def month_ends(*, today: date, count: int = 12) -> list[date]:
    """ "Over a month" means at the month's last day (the definition of IRO-02: "ALLOC at each
    month-end"): the last `count` months to `today`, the current month at `today` itself."""
    out, y, m = [], today.year, today.month
    for _ in range(count):
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        out.append(min(nxt - timedelta(days=1), today))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return sorted(out)


def caseloads_by_month(*, today: date, team=None) -> list[CaseloadPerFte]:
    """The caseloads page's monthly table: caseloads_per_fte at each of the last 12 month ends
    (the current month at `today`)."""
    return list(caseloads_per_fte(days=month_ends(today=today), team=team).values())


def iros_in_post_on(on: date) -> QuerySet[User]:
    """IROs in post on `on` (the same test as caseloads_per_fte's FTE)."""
    from iro.models import StaffRecord

    covering = StaffRecord.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on), user=OuterRef("pk"), valid_from__lte=on
    )
    any_record = StaffRecord.objects.filter(user=OuterRef("pk"))
    return User.objects.filter(
        Q(Exists(covering)) | (Q(is_active=True) & ~Q(Exists(any_record))),
        groups__name=group_name(Role.IRO),
    )


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
