"""Area 7 of the figure catalogue (docs/figures.md): allocation (ALC-01 to ALC-05).

Allocation history is iro.Allocation (child, IRO, role, start, end; a reallocation ends one
allocation on the day the next starts) and iro.AllocationRequest (when the service was notified
that a child needed an IRO, and when that need was met, linked to the allocation made).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, TruncDate

from iro.db_router import reporting_connection
from iro.models import (
    Allocation,
    AllocationRequest,
    AllocationRole,
    CareEpisode,
    Child,
    SiblingGroup,
)
from iro.selectors_caseload import cla_allocations_on
from reporting.figures.base import Kind, Period, Result, figure, pct, shared
from reporting.figures.cohorts import CHILD_COLUMNS, looked_after_ids, starters
from reporting.figures.snapshot import ordered, snapshot

SECTION = "allocation"
TARGET_HOURS = 72

REQUEST_COLUMNS = (
    ("LA child ID", "child__la_child_id"),
    ("First name", "child__first_name"),
    ("Last name", "child__last_name"),
    ("Notified", "notified_at"),
    ("Allocated", "fulfilled_at"),
)
ALLOCATION_COLUMNS = (
    ("LA child ID", "child__la_child_id"),
    ("First name", "child__first_name"),
    ("Last name", "child__last_name"),
    ("IRO", "iro__username"),
    ("From", "start"),
    ("Reason", "reason"),
)


def _requests(period: Period) -> QuerySet[AllocationRequest]:
    """Requests for a looked-after child's IRO (role CLA) notified in the period (local dates)."""
    return AllocationRequest.objects.annotate(notified_on=TruncDate("notified_at")).filter(
        role=AllocationRole.CLA, notified_on__gte=period.start, notified_on__lte=period.end
    )


def _within() -> Q:
    return Q(fulfilled_at__isnull=False) & Q(
        fulfilled_at__lte=F("notified_at") + timedelta(hours=TARGET_HOURS)
    )


@figure(
    "ALC-01",
    title="IRO allocated within 72 hours of notification",
    kind=Kind.PCT,
    section=SECTION,
    unit="%",
    target=100,
    better="higher",
)
def allocated_within_72_hours(period: Period) -> Result:
    """Percentage of notifications in the period that a looked-after child needed an IRO
    (AllocationRequest, role CLA, notified_at in the period) met by a named IRO within 72 hours
    (fulfilled_at no more than 72 clock hours after notified_at; BCT: "a named IRO within 72
    hours", counted in hours, not working days). A request still open counts as not within 72
    hours, even when its 72 hours have not yet run out at the end of the period. Target 100%
    (the BCT report's claim)."""
    row = _requests(period).aggregate(n=Count("pk", filter=_within()), d=Count("pk"))
    return Result(value=pct(row["n"], row["d"]), numerator=row["n"], denominator=row["d"])


@allocated_within_72_hours.rows(columns=REQUEST_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = _requests(period)
    if cell != "denominator":
        qs = qs.filter(_within())
    return qs.order_by("notified_at", "pk")


# --- ALC-02: siblings share an IRO -----------------------------------------------------------


def _sibling_sets(day: date) -> tuple[QuerySet[Child], QuerySet[Child]]:
    """(children in groups sharing one IRO, children with a looked-after sibling) on `day`."""
    in_care = Q(children__in=looked_after_ids(day))
    allocated = in_care & Q(
        children__allocations__in=cla_allocations_on(day).values("pk"),
    )
    groups = SiblingGroup.objects.annotate(
        in_care=Count("children", distinct=True, filter=in_care),
        allocated=Count("children", distinct=True, filter=allocated),
        iros=Count("children__allocations__iro", distinct=True, filter=allocated),
    ).filter(in_care__gte=2)
    sharing = groups.filter(allocated=F("in_care"), iros=1)
    children = Child.objects.filter(pk__in=looked_after_ids(day))
    return (
        children.filter(sibling_group__in=sharing.values("pk")),
        children.filter(sibling_group__in=groups.values("pk")),
    )


@figure(
    "ALC-02",
    title="Brothers and sisters in care who share an IRO",
    kind=Kind.PCT,
    section=SECTION,
    unit="%",
    covers="on 31 March",
    better="higher",
)
def siblings_share_an_iro(period: Period) -> Result:
    """Percentage of children looked after on 31 March who have a brother or sister (same
    sibling group) also looked after that day, whose looked-after siblings all have the same IRO
    as they do (a group counts only when every looked-after child in it is allocated to one IRO;
    an unallocated child means the group does not share)."""
    siblings = snapshot(period)["siblings"]
    n, d = siblings["sharing"], siblings["with"]
    return Result(value=pct(n, d), numerator=n, denominator=d)


@siblings_share_an_iro.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    numerator, denominator = _sibling_sets(period.end)
    return (denominator if cell == "denominator" else numerator).order_by("la_child_id")


# --- ALC-03: CP chair continues as IRO --------------------------------------------------------

CP_CONTINUITY_DAYS = 30


def _cp_to_care(period: Period) -> QuerySet[CareEpisode]:
    """Starters (CLA-10) who had a CP chair (a CP allocation) open on the day care started or
    ended within the 30 days before, annotated with that chair and their first CLA IRO."""
    chair = (
        Allocation.objects.filter(
            child=OuterRef("child"), role=AllocationRole.CP, start__lte=OuterRef("start")
        )
        .filter(
            Q(end__isnull=True)
            | Q(
                end__gte=ExpressionWrapper(
                    OuterRef("start") - timedelta(days=CP_CONTINUITY_DAYS),
                    output_field=DateField(),
                )
            )
        )
        .order_by(F("end").desc(nulls_first=True), "-start")
        .values("iro_id")[:1]
    )
    first_iro = (
        Allocation.objects.filter(
            child=OuterRef("child"), role=AllocationRole.CLA, start__gte=OuterRef("start")
        )
        .order_by("start", "pk")
        .values("iro_id")[:1]
    )
    return (
        starters(period)
        .annotate(chair=Subquery(chair), first_iro=Subquery(first_iro))
        .filter(chair__isnull=False)
    )


@figure(
    "ALC-03",
    title="Child protection chair carries on as the IRO",
    kind=Kind.PCT,
    section=SECTION,
    unit="%",
    better="higher",
)
def cp_chair_continues(period: Period) -> Result:
    """Of the children who started to be looked after in the period (CLA-10) with a child
    protection chair (a CP allocation) open on the day care started or ended in the 30 days
    before it, the percentage whose first IRO in care (the first CLA allocation from that day)
    is the same person. A child not yet allocated an IRO counts as not continuing."""
    row = _cp_to_care(period).aggregate(
        n=Count("pk", filter=Q(first_iro=F("chair"))), d=Count("pk")
    )
    return Result(value=pct(row["n"], row["d"]), numerator=row["n"], denominator=row["d"])


@cp_chair_continues.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    qs = _cp_to_care(period)
    if cell != "denominator":
        qs = qs.filter(first_iro=F("chair"))  # type: ignore[misc]  # annotated by _cp_to_care
    return Child.objects.filter(pk__in=qs.values("child_id")).order_by("la_child_id")


# --- ALC-04: changes of IRO -------------------------------------------------------------------

CHANGE_BANDS = ["0", "1", "2", "3 or more"]
# ALC-04's bands are counts of changes, not codes: they read as words.
CHANGE_LABELS = {
    "0": "No change of IRO",
    "1": "1 change",
    "2": "2 changes",
    "3 or more": "3 or more changes",
}


def _changes(period: Period) -> QuerySet[Allocation]:
    """Changes of IRO in the period for children looked after on 31 March: CLA allocations
    starting in the period that take over from another CLA allocation of the same child ending
    that day (a reallocation)."""
    previous = Allocation.objects.filter(
        child=OuterRef("child"), role=AllocationRole.CLA, end=OuterRef("start")
    ).exclude(pk=OuterRef("pk"))
    return Allocation.objects.filter(
        Exists(previous),
        role=AllocationRole.CLA,
        start__gte=period.start,
        start__lte=period.end,
        child_id__in=looked_after_ids(period.end),
    )


@shared
def _changes_per_child(period: Period):
    changes = (
        _changes(period)
        .filter(child=OuterRef("pk"))
        .order_by()
        .values("child")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Child.objects.filter(pk__in=looked_after_ids(period.end))
        .annotate(changes=Coalesce(Subquery(changes, output_field=IntegerField()), Value(0)))
        .annotate(
            band=Case(
                When(changes__gte=3, then=Value("3 or more")),
                default=Cast("changes", CharField()),
                output_field=CharField(),
            )
        )
    )


@figure(
    "ALC-04",
    title="Changes of IRO per child in care",
    kind=Kind.MEAN,
    section=SECTION,
    unit="changes per child",
    covers="in the year, children in care on 31 March",
    better="lower",
    labels=CHANGE_LABELS,
)
def iro_changes(period: Period) -> Result:
    """For children looked after on 31 March: changes of IRO in the period (a new CLA allocation
    taking over from the child's previous one on the same day; the first IRO of a period of care
    is not a change). Value: mean changes per child (numerator: changes, denominator: children);
    breakdown: children with 0, 1, 2, 3 or more changes. Drill-down: the children with at least
    one change (cell None), or those in a band."""
    snap = snapshot(period)
    breakdown = ordered(snap["changes"], CHANGE_BANDS)
    children = sum(breakdown.values())
    changes = snap["changes_total"][""]
    return Result(
        value=round(changes / children, 2) if children else None,
        denominator=children,
        breakdown=breakdown,
        columns=["Measure", "Number"],
        table=[["Changes of IRO", changes], ["Children looked after on 31 March", children]],
    )


@iro_changes.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    per_child = _changes_per_child(period)
    if cell is None:
        per_child = per_child.filter(changes__gt=0)
    elif cell != "denominator":
        per_child = per_child.filter(band=cell)
    return Child.objects.filter(pk__in=per_child.values("pk")).order_by("la_child_id")


# --- ALC-05: delay before the service hears -----------------------------------------------------

DELAY_BANDS = ["same day", "1 to 2 days", "3 to 7 days", "over 7 days"]


def _care_start() -> Subquery:
    """The start of the requested child's period of care on the day of notification."""
    return Subquery(
        CareEpisode.objects.filter(
            child=OuterRef("child"),
            reason_new_episode="S",
            start__lte=OuterRef("notified_on"),
        )
        .order_by("-start")
        .values("start")[:1],
        output_field=DateField(),
    )


def _notice(period: Period) -> QuerySet[AllocationRequest]:
    """CLA requests notified in the period with the start of the child's period of care then."""
    return (
        _requests(period)
        .annotate(care_start=_care_start())
        .filter(care_start__isnull=False)
        .annotate(
            delay=Func(
                F("notified_on"),
                F("care_start"),
                template="(%(expressions)s)",
                arg_joiner=" - ",
                output_field=IntegerField(),
            )
        )
        .annotate(
            band=Case(
                When(delay__lte=0, then=Value(DELAY_BANDS[0])),
                When(delay__lte=2, then=Value(DELAY_BANDS[1])),
                When(delay__lte=7, then=Value(DELAY_BANDS[2])),
                default=Value(DELAY_BANDS[3]),
                output_field=CharField(),
            )
        )
    )


@figure(
    "ALC-05",
    title="Days before the IRO service hears of an admission",
    kind=Kind.MEAN,
    section=SECTION,
    unit="days",
    better="lower",
)
def notification_delay(period: Period) -> Result:
    """For requests for a looked-after child's IRO notified in the period: days from the start of
    the child's period of care (the latest RNE = S episode on or before the notification) to the
    day the service was notified. Value: the mean in days; breakdown: requests notified the same
    day, 1-2 days, 3-7 days and over 7 days later (late notice delays the first review, BCT
    3.3). Requests before any episode is recorded are left out."""
    # The delay once per request (a subquery), then counted by band: the ORM would repeat the
    # care-start subquery inside every band's filter.
    sql, params = (
        _requests(period)
        .annotate(care_start=_care_start())
        .order_by()
        .values("notified_on", "care_start")
        .query.sql_with_params()
    )
    bands = ["d <= 0", "d > 0 AND d <= 2", "d > 2 AND d <= 7", "d > 7"]  # as DELAY_BANDS
    with reporting_connection().cursor() as cursor:
        cursor.execute(
            "SELECT AVG(d), COUNT(*), "
            + ", ".join(f"COUNT(*) FILTER (WHERE {band})" for band in bands)
            + f" FROM (SELECT notified_on - care_start AS d FROM ({sql}) AS r"
            " WHERE care_start IS NOT NULL) AS x",
            params,
        )
        mean, n, *counts = cursor.fetchone()
    return Result(
        value=round(float(mean), 1) if mean is not None else None,
        denominator=n,
        breakdown=dict(zip(DELAY_BANDS, counts, strict=True)),
    )


@notification_delay.rows(columns=REQUEST_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = _notice(period)
    if cell in DELAY_BANDS:
        qs = qs.filter(band=cell)  # type: ignore[misc]  # annotated by _notice
    return qs.order_by("notified_at", "pk")
