"""What the child protection figures share: the drill-down columns, the conferences held in a
period and the counts over them that several figures read in one query, and the plans open on
a day counted along every dimension the "on 31 March" figures use.
"""

from collections import defaultdict
from datetime import date

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Q,
    QuerySet,
    Value,
    When,
)

from iro.age_bands import AGE_BAND_CODES, UNBORN, date_of_birth_case
from iro.db_router import reporting_connection
from protection import rules
from protection.models import (
    CHILD_VIEWS_SHARED,
    ChildViews,
    Conference,
    ConferenceKind,
    ConferenceStatus,
    ProtectionPlan,
)
from protection.selectors import months_on_plan_expression, plans_open_on
from reporting.figures.base import Period, shared

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


INVITED = Q(parents_invited=True)
ATTENDED = Q(parents_invited=True, parents_attended=True)


VIEWS_HEARD = Q(child_attended=True) | Q(child_views__in=CHILD_VIEWS_SHARED)


@shared
def conferences_held(period: Period) -> QuerySet:
    """Conferences (one per child) held in the period."""
    return Conference.objects.filter(
        status=ConferenceStatus.HELD, held_on__gte=period.start, held_on__lte=period.end
    )


def conference_rows(qs: QuerySet) -> QuerySet:
    return qs.order_by("held_on", "pk")


def plans_on(day: date) -> QuerySet:
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


def plan_rows(qs: QuerySet) -> QuerySet:
    return qs.order_by("start", "pk")


def plans_started_in(period: Period) -> QuerySet:
    return ProtectionPlan.objects.filter(start__gte=period.start, start__lte=period.end)


AGE_BANDS = [UNBORN.code, *AGE_BAND_CODES]  # the DfE bands, with unborn (iro.age_bands)


def age_band_expression(day: date, dob: str = "child__date_of_birth") -> Case:
    """SQL: the age band (DfE labels, plus ``unborn``) of the child on `day`."""
    return date_of_birth_case(day, dob)


DURATION_BANDS = [
    ("under 6 months", 0, 6),
    ("6-12 months", 6, 12),
    ("12-15 months", 12, 15),
    ("15-18 months", 15, 18),
    ("18-24 months", 18, 24),
    ("24 months or more", 24, None),
]


def with_months(day: date) -> QuerySet:
    return plans_on(day).annotate(_months=months_on_plan_expression(day))


def band_filter(low: int, high: int | None) -> Q:
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
    """Counts of the plans open at the end of `period` (``plans_on``) along every dimension the
    "on 31 March" figures use (CP-07, CP-09 to CP-13, CP-20), in one statement: the plans are
    read once (a materialised CTE) and counted by sex, ethnicity, age band, latest category,
    duration band and disability. ``plans_on_summary(p)["sex"]["M"]``; missing keys are zero."""
    day = period.end
    duration = Case(
        *[When(band_filter(lo, hi), then=Value(label)) for label, lo, hi in DURATION_BANDS],
        default=Value(""),
        output_field=CharField(),
    )
    plans_sql, params = (
        with_months(day)
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


def keyed(counts: dict[str, int], keys: list[str]) -> dict[str, int]:
    return {key: counts.get(key, 0) for key in keys}
