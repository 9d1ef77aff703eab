"""One query for every count of children looked after at the end of a period (31 March).

The figures of areas 1, 2 and 7 that describe the children looked after on the last day of the
period (sex, ethnicity, age, legal status, placement, distance, time in care, stability,
siblings' IROs, changes of IRO) read the same base set. Rather than scan the episodes once per
figure, ``snapshot(period)`` builds the set once (a materialised CTE: one row per child looked
after, with every attribute the figures group by) and counts it along each dimension in the same
statement (UNION ALL of small GROUP BYs). ``starters_summary`` and ``leavers_summary`` do the same
for the children who started and stopped being looked after in the period.

The definitions match the drill-down querysets in the figure modules, which the tests check
(the rows behind each number add up to it); see ``reporting.figures.cohorts``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from functools import cache

from iro.age_bands import age_sql
from iro.db_router import reporting_connection
from iro.models import Allocation, CareEpisode, Child
from iro.rules import add_months
from reporting.figures.base import Period, shared
from reporting.figures.sources import rows_of

EPISODE_FIELDS = (
    *("id", "child_id", "start", "end", "legal_status", "placement_type", "category_of_need"),
    *("placement_location", "distance_miles", "preferred_placement", "reason_new_episode"),
    "reason_ceased",
)
ALLOCATION_FIELDS = ("id", "child_id", "iro_id", "role", "start", "end")
CHILD_FIELDS = (
    *("id", "sex", "ethnicity", "date_of_birth", "area_id", "sibling_group_id", "uasc"),
    "uasc_ceased",
)


@cache
def with_sources(sql: str) -> str:
    """`sql` reading the episodes, allocations and children through their models
    (reporting.figures.sources): ``{episodes_e}`` is the episodes as ``e``, and so on."""
    return sql.format(
        episodes_e=rows_of(CareEpisode, "e", EPISODE_FIELDS),
        episodes_p=rows_of(CareEpisode, "p", EPISODE_FIELDS),
        allocations_a=rows_of(Allocation, "a", ALLOCATION_FIELDS),
        allocations_b=rows_of(Allocation, "b", ALLOCATION_FIELDS),
        children_c=rows_of(Child, "c", CHILD_FIELDS),
        age_band=age_sql("age"),
    )


# The children looked after at the end of the period, with every attribute a figure groups by
# (SNAPSHOT_CTES), counted in two statements, each run only when a figure asks for one of its
# dimensions: the children's own attributes and placements (CORE_SQL: one pass over the open
# episodes and the children) and their histories (HISTORY_SQL: periods of care, placements,
# IROs and siblings, three times the work). A figure that needs only the first (CLA-01, a
# return, a board page) does not pay for the second. REFERENCE_SQL is the one statement the
# two replace; the tests compare them with it.
SNAPSHOT_CTES = """
WITH open_episodes AS MATERIALIZED (
    SELECT e.child_id, e.start, e.legal_status, e.placement_type, e.category_of_need,
           e.placement_location, e.distance_miles,
           COALESCE(e.preferred_placement, false) AS preferred
    FROM {episodes_e}
    WHERE e.start <= %(d)s::date AND (e."end" IS NULL OR e."end" > %(d)s::date)
      AND e.legal_status NOT IN ('V3', 'V4')
),
-- One pass over the children's histories (no subquery per child). The latest RNE = S episode
-- on or before the day starts the period of care the open episode belongs to (periods are
-- unbroken X1 chains, so no S episode can fall between the open episode's start and the day).
history AS (
    SELECT p.child_id,
           MAX(p.start) FILTER (WHERE p.reason_new_episode = 'S') AS period_start,
           MAX(p.start) FILTER (WHERE p.reason_new_episode IN ('S', 'P', 'B')) AS carer_since,
           -- The first episode on file: when no RNE = S episode is on file (period_start is
           -- NULL), the period of care began before the earliest data held, and this is the
           -- lower bound of its start (CLA-15, PLC-09; see reporting.figures.cohorts).
           MIN(p.start) AS first_on_file,
           COUNT(*) FILTER (
               WHERE p.start >= %(w)s::date
                 AND p.reason_new_episode IN ('S', 'P', 'B', 'T', 'U')
                 AND p.placement_type NOT IN ('T0', 'T1', 'T2', 'T3', 'T4')
                 AND p.legal_status NOT IN ('V3', 'V4')) AS new_placements,
           BOOL_OR(p.start < %(w)s::date AND (p."end" IS NULL OR p."end" >= %(w)s::date)
                   AND p.legal_status NOT IN ('V3', 'V4')) AS placed_at_start
    FROM {episodes_p}
    WHERE p.start <= %(d)s::date AND p.child_id IN (SELECT child_id FROM open_episodes)
    GROUP BY p.child_id
),
allocated AS (
    SELECT a.child_id, MAX(a.iro_id) AS iro_id
    FROM {allocations_a}
    WHERE a.role = 'cla' AND a.start <= %(d)s::date
      AND (a."end" IS NULL OR a."end" > %(d)s::date)
    GROUP BY a.child_id
),
changes AS (
    SELECT a.child_id, COUNT(*) AS changes
    FROM {allocations_a}
    WHERE a.role = 'cla' AND a.start >= %(start)s::date AND a.start <= %(d)s::date
      AND EXISTS (SELECT 1 FROM {allocations_b}
                   WHERE b.child_id = a.child_id AND b.role = 'cla'
                     AND b."end" = a.start AND b.id <> a.id)
    GROUP BY a.child_id
),
s AS MATERIALIZED (
    SELECT o.*,
           CASE WHEN c.sex IN ('M', '1') THEN 'M' WHEN c.sex IN ('F', '2') THEN 'F' ELSE 'U' END
               AS sex,
           c.ethnicity,
           EXTRACT(YEAR FROM AGE(%(d)s::date, c.date_of_birth))::integer AS age,
           c.area_id,
           c.sibling_group_id,
           (c.uasc AND (c.uasc_ceased IS NULL OR c.uasc_ceased > %(d)s::date)) AS uasc,
           h.period_start, h.carer_since, h.first_on_file,
           COALESCE(h.period_start, h.first_on_file) AS in_care_since_at_least,
           COALESCE(h.carer_since, h.first_on_file) AS carer_since_at_least,
           h.new_placements + (CASE WHEN h.placed_at_start THEN 1 ELSE 0 END) AS placements,
           al.iro_id,
           COALESCE(ch.changes, 0) AS changes
    FROM open_episodes o
    JOIN {children_c} ON c.id = o.child_id
    LEFT JOIN history h ON h.child_id = o.child_id
    LEFT JOIN allocated al ON al.child_id = o.child_id
    LEFT JOIN changes ch ON ch.child_id = o.child_id
),
b AS (
    SELECT s.*,
           {age_band} AS band,
           CASE WHEN period_start IS NULL AND first_on_file <= %(y5)s::date
                    THEN '5 years or more'
                WHEN period_start IS NULL THEN 'start unknown'
                WHEN period_start > %(y1)s::date THEN 'under 1 year'
                WHEN period_start > %(y3)s::date THEN '1 to under 3 years'
                WHEN period_start > %(y5)s::date THEN '3 to under 5 years'
                ELSE '5 years or more' END AS time_band,
           CASE WHEN distance_miles IS NULL THEN 'distance not known'
                WHEN distance_miles > 20 THEN 'over 20 miles'
                ELSE '20 miles or less' END AS distance
    FROM s
),
siblings AS (
    SELECT sibling_group_id, COUNT(*) AS n, COUNT(iro_id) AS allocated,
           COUNT(DISTINCT iro_id) AS iros
    FROM b WHERE sibling_group_id IS NOT NULL
    GROUP BY sibling_group_id HAVING COUNT(*) >= 2
)
"""

CORE_BRANCHES = """
SELECT 'all', '', COUNT(*) FROM b
UNION ALL SELECT 'sex', sex, COUNT(*) FROM b GROUP BY sex
UNION ALL SELECT 'ethnicity', ethnicity, COUNT(*) FROM b GROUP BY ethnicity
UNION ALL SELECT 'band', band, COUNT(*) FROM b GROUP BY band
UNION ALL SELECT 'area', area_id::text, COUNT(*) FROM b WHERE area_id IS NOT NULL GROUP BY area_id
UNION ALL SELECT 'uasc', '', COUNT(*) FROM b WHERE uasc
UNION ALL SELECT 'legal_status', legal_status, COUNT(*) FROM b GROUP BY legal_status
UNION ALL SELECT 'placement_type', placement_type, COUNT(*) FROM b GROUP BY placement_type
UNION ALL SELECT 'need', category_of_need, COUNT(*) FROM b GROUP BY category_of_need
UNION ALL SELECT 'distance', distance, COUNT(*) FROM b GROUP BY distance
UNION ALL SELECT 'location', placement_location, COUNT(*) FROM b GROUP BY placement_location
UNION ALL SELECT 'out_far', '', COUNT(*) FROM b
           WHERE placement_location = 'OUT' AND distance = 'over 20 miles'
UNION ALL SELECT 'preferred', '', COUNT(*) FROM b WHERE preferred
"""

HISTORY_BRANCHES = """
SELECT 'time', time_band, COUNT(*) FROM b GROUP BY time_band
UNION ALL SELECT 'time_before_data', '', COUNT(*) FROM b WHERE period_start IS NULL
UNION ALL SELECT 'time_3_plus', '', COUNT(*) FROM b WHERE in_care_since_at_least <= %(y3)s::date
UNION ALL SELECT 'time_5_under_10', '', COUNT(*) FROM b
           WHERE time_band = '5 years or more' AND age < 10
UNION ALL SELECT 'three_placements', '', COUNT(*) FROM b WHERE placements >= 3
UNION ALL SELECT 'long_term', 'eligible', COUNT(*) FROM b
           WHERE age < 16 AND in_care_since_at_least <= %(m30)s::date
UNION ALL SELECT 'long_term', 'stable', COUNT(*) FROM b
           WHERE age < 16 AND in_care_since_at_least <= %(m30)s::date
             AND carer_since_at_least <= %(m24)s::date
UNION ALL SELECT 'long_term', 'before_data', COUNT(*) FROM b
           WHERE age < 16 AND period_start IS NULL AND first_on_file <= %(m30)s::date
UNION ALL SELECT 'long_term', 'start_unknown', COUNT(*) FROM b
           WHERE age < 16 AND period_start IS NULL AND first_on_file > %(m30)s::date
UNION ALL SELECT 'siblings', 'with', COALESCE(SUM(n), 0) FROM siblings
UNION ALL SELECT 'siblings', 'sharing', COALESCE(SUM(n), 0) FROM siblings
           WHERE allocated = n AND iros = 1
UNION ALL SELECT 'changes', CASE WHEN changes >= 3 THEN '3 or more' ELSE changes::text END,
                 COUNT(*) FROM b GROUP BY 2
UNION ALL SELECT 'changes_total', '', COALESCE(SUM(changes), 0) FROM b
"""

CORE_DIMENSIONS = frozenset(
    (
        "all",
        "area",
        "band",
        "distance",
        "ethnicity",
        "legal_status",
        "location",
        "need",
        "out_far",
        "placement_type",
        "preferred",
        "sex",
        "uasc",
    )
)

# The same definitions as SNAPSHOT_CTES's for these attributes, without the histories.
CORE_SQL = (
    """
WITH b AS MATERIALIZED (
    SELECT e.legal_status, e.placement_type, e.category_of_need, e.placement_location,
           COALESCE(e.preferred_placement, false) AS preferred,
           CASE WHEN c.sex IN ('M', '1') THEN 'M' WHEN c.sex IN ('F', '2') THEN 'F' ELSE 'U' END
               AS sex,
           c.ethnicity,
           c.area_id,
           (c.uasc AND (c.uasc_ceased IS NULL OR c.uasc_ceased > %(d)s::date)) AS uasc,
           {age_band} AS band,
           CASE WHEN e.distance_miles IS NULL THEN 'distance not known'
                WHEN e.distance_miles > 20 THEN 'over 20 miles'
                ELSE '20 miles or less' END AS distance
    FROM {episodes_e}
    JOIN {children_c} ON c.id = e.child_id
    CROSS JOIN LATERAL (
        SELECT EXTRACT(YEAR FROM AGE(%(d)s::date, c.date_of_birth))::integer AS age
    ) a
    WHERE e.start <= %(d)s::date AND (e."end" IS NULL OR e."end" > %(d)s::date)
      AND e.legal_status NOT IN ('V3', 'V4')
)
"""
    + CORE_BRANCHES
)
HISTORY_SQL = SNAPSHOT_CTES + HISTORY_BRANCHES
REFERENCE_SQL = SNAPSHOT_CTES + CORE_BRANCHES + "UNION ALL " + HISTORY_BRANCHES.lstrip("\n")


class Snapshot:
    """The counts of one period's snapshot, read as ``snapshot(p)["sex"]["M"]``: each half
    (CORE_SQL, HISTORY_SQL) is queried the first time one of its dimensions is read, then kept.
    Missing keys are zero (the dicts are defaultdicts)."""

    def __init__(self, period: Period):
        d = period.end
        self.params = {
            "d": d,
            "start": period.start,
            "w": add_months(d, -12) + timedelta(days=1),
            "y1": add_months(d, -12),
            "y3": add_months(d, -36),
            "y5": add_months(d, -60),
            "m24": add_months(d, -24),
            "m30": add_months(d, -30),
        }
        self.parts: dict[str, dict[str, dict[str, int]]] = {}

    def __getitem__(self, dimension: str) -> dict[str, int]:
        part = "core" if dimension in CORE_DIMENSIONS else "history"
        if part not in self.parts:
            self.parts[part] = counts(CORE_SQL if part == "core" else HISTORY_SQL, self.params)
        return self.parts[part][dimension]


def counts(sql: str, params: dict) -> dict[str, dict[str, int]]:
    """(dimension, key, count) rows of `sql` as nested dicts, missing keys zero."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    with reporting_connection().cursor() as cursor:
        cursor.execute(with_sources(sql), params)
        for dim, key, n in cursor.fetchall():
            out[dim][key or ""] = int(n)
    return out


@shared
def snapshot(period: Period) -> Snapshot:
    """Counts of the children looked after at the end of `period`, by dimension and key:
    ``snapshot(p)["sex"]["M"]``. Missing keys are zero."""
    return Snapshot(period)


FLOW_SQL = """
WITH f AS MATERIALIZED (
    SELECT DISTINCT ON (e.child_id)
           CASE WHEN c.sex IN ('M', '1') THEN 'M' WHEN c.sex IN ('F', '2') THEN 'F' ELSE 'U' END
               AS sex,
           EXTRACT(YEAR FROM AGE({on}, c.date_of_birth))::integer AS age,
           e.category_of_need, e.reason_ceased
    FROM {{episodes_e}}
    JOIN {{children_c}} ON c.id = e.child_id
    WHERE {where} AND e.legal_status NOT IN ('V3', 'V4')
    ORDER BY e.child_id, {order}
)
SELECT 'all', '', COUNT(*) FROM f
UNION ALL SELECT 'sex', sex, COUNT(*) FROM f GROUP BY sex
UNION ALL SELECT 'band', {{age_band}}, COUNT(*) FROM f GROUP BY 2
UNION ALL SELECT 'need', category_of_need, COUNT(*) FROM f GROUP BY category_of_need
UNION ALL SELECT 'reason', reason_ceased, COUNT(*) FROM f GROUP BY reason_ceased
"""

STARTERS_SQL = FLOW_SQL.format(
    on="e.start",
    where="e.reason_new_episode = 'S' AND e.start >= %(start)s AND e.start <= %(end)s",
    order="e.start",
)
LEAVERS_SQL = FLOW_SQL.format(
    on='e."end"',
    where='e."end" >= %(start)s AND e."end" <= %(end)s AND e.reason_ceased <> \'X1\'',
    order='e."end" DESC',
)


def _flow(sql: str, period: Period) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    with reporting_connection().cursor() as cursor:
        cursor.execute(with_sources(sql), {"start": period.start, "end": period.end})
        for dim, key, n in cursor.fetchall():
            out[dim][key or ""] = int(n)
    return out


@shared
def starters_summary(period: Period) -> dict[str, dict[str, int]]:
    """Children who started to be looked after in `period` (cohorts.starters), counted by sex,
    age band at the start and category of need."""
    return _flow(STARTERS_SQL, period)


@shared
def leavers_summary(period: Period) -> dict[str, dict[str, int]]:
    """Children who stopped being looked after in `period` (cohorts.leavers), counted by sex,
    age band on leaving and reason ceased."""
    return _flow(LEAVERS_SQL, period)


def ordered(counts: dict[str, int], order: list[str]) -> dict[str, int]:
    """`counts` in `order` with zeros kept, then any other keys (sorted)."""
    out = {k: counts.get(k, 0) for k in order}
    out.update({k: v for k, v in sorted(counts.items()) if k not in out and k})
    return out
