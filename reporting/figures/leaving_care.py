"""Area 3 of the figure catalogue (docs/figures.md): leaving care (LVC-01 to LVC-07).

Leavers are children whose period of care ended in the period (``cohorts.leavers``: the episode
that ends with a reason other than X1; a child who left twice is counted once, by the last).
"""

from __future__ import annotations

from django.db.models import (
    Avg,
    Count,
    DateField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from iro import codes
from iro.codes import ADOPTION_PLACEMENT_TYPES, ReasonCeased
from iro.models import CareEpisode
from reporting.figures.base import Kind, Period, Result, figure, pct
from reporting.figures.cohorts import (
    AGE_BANDS,
    CHILD_COLUMNS,
    EPISODE_COLUMNS,
    children_in,
    first_on_file_subquery,
    leavers,
    open_episodes,
    period_start_subquery,
    sex_key,
    with_age,
)
from reporting.figures.shares import shares, shares_by_code
from reporting.figures.snapshot import leavers_summary, ordered

SECTION = "leaving_care"


def _rows(qs: QuerySet) -> QuerySet:
    return qs.order_by("end", "pk")


def leavers_by_sex(period: Period) -> dict[str, int]:
    return ordered(leavers_summary(period)["sex"], ["M", "F", "U"])


@figure(
    "LVC-01",
    title="Children who stopped being looked after",
    kind=Kind.COUNT,
    section=SECTION,
    unit="children",
    better="neither",
    labels=codes.Sex,
)
def leavers_count(period: Period) -> Result:
    """Children whose period of care ended in the period (the last episode ends with any reason
    but X1; short breaks V3/V4 are not care). A child who left twice is counted once. Breakdown
    by sex (M/F/U), with shares in the table."""
    return shares(leavers_by_sex(period), "Sex")


@leavers_count.rows(columns=EPISODE_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = leavers(period).annotate(k=sex_key())
    if cell is not None:
        qs = qs.filter(k=cell)
    return _rows(qs)


@figure(
    "LVC-02",
    title="Children who stopped being looked after, by age",
    kind=Kind.COUNT,
    section=SECTION,
    unit="children",
    better="neither",
)
def leavers_by_age(period: Period) -> Result:
    """Leavers (as LVC-01) by age on the day their period of care ended, in DfE bands; the table
    gives each band's share (M24 quotes the shares)."""
    return shares(ordered(leavers_summary(period)["band"], AGE_BANDS), "Age on leaving")


@leavers_by_age.rows(columns=EPISODE_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = with_age(leavers(period), "end")
    if cell is not None:
        qs = qs.filter(band=cell)  # type: ignore[misc]  # annotated by with_age
    return _rows(qs)


REASONS = [c.value for c in ReasonCeased if c.value != "X1"]


def leavers_by_reason(period: Period) -> dict[str, int]:
    return ordered(leavers_summary(period)["reason"], REASONS)


@figure(
    "LVC-03",
    title="Children who stopped being looked after, by reason",
    kind=Kind.COUNT,
    section=SECTION,
    unit="children",
    better="neither",
    labels=codes.ReasonCeased,
)
def leavers_reason(period: Period) -> Result:
    """Leavers (as LVC-01) by the 903 reason the period of care ceased (REC on its last episode),
    every code with zeros kept; the table gives shares."""
    return shares_by_code(leavers_by_reason(period), codes.ReasonCeased, "Reason")


@leavers_reason.rows(columns=EPISODE_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = leavers(period)
    if cell is not None:
        qs = qs.filter(reason_ceased=cell)
    return _rows(qs)


ORDERS = ["E41", "E45", "E46", "E47", "E48"]


@figure(
    "LVC-04",
    title="Children leaving care on a special guardianship or child arrangements order",
    kind=Kind.COUNT,
    section=SECTION,
    unit="children",
    better="neither",
    labels=codes.ReasonCeased,
)
def leavers_on_orders(period: Period) -> Result:
    """Leavers (as LVC-01) whose period of care ended with a child arrangements order (E41) or
    a special guardianship order (E45 former foster carer, relative or friend; E46 former foster
    carer, not a relative or friend; E47 other carer, relative or friend; E48 other carer, not a
    relative or friend). The codes are the 903's, so the E46/E48 swap in M24 section 8.21 cannot
    happen here."""
    by_reason = leavers_by_reason(period)
    breakdown = {c: by_reason[c] for c in ORDERS}
    return Result(value=sum(breakdown.values()), breakdown=breakdown)


@leavers_on_orders.rows(columns=EPISODE_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    return _rows(leavers(period).filter(reason_ceased__in=[cell] if cell else ORDERS))


ROUTES = {
    "Special guardianship order": ["E45", "E46", "E47", "E48"],
    "Child arrangements order": ["E41"],
    "Adopted": ["E11", "E12"],
    "Home to parents or others": ["E4A", "E4B", "E13"],
    "Independent living": ["E5", "E6"],
    "Staying put (18 or over)": ["E17"],
    "Other": ["E2", "E3", "E7", "E8", "E9", "E14", "E15", "E16"],
}
PERMANENT_ORDERS = ["Special guardianship order", "Child arrangements order", "Adopted"]


@figure(
    "LVC-05",
    title="Children leaving care to a permanent order",
    kind=Kind.PCT,
    section=SECTION,
    unit="%",
    better="neither",
)
def leaving_routes(period: Period) -> Result:
    """How children left care: leavers (as LVC-01) in route groups of 903 reason codes: SGO
    (E45-E48), CAO (E41), adopted (E11, E12), home to parents or others with or without parental
    responsibility (E4A, E4B, E13), independent living (E5, E6), staying put (E17), other.
    Value: the percentage who left to a permanent order (SGO, CAO or adoption); the table gives
    each route's share (M24 section 14.7)."""
    by_reason = leavers_by_reason(period)
    total = sum(by_reason.values())
    breakdown = {r: sum(by_reason.get(c, 0) for c in codes) for r, codes in ROUTES.items()}
    permanent = sum(breakdown[r] for r in PERMANENT_ORDERS)
    return Result(
        value=pct(permanent, total),
        numerator=permanent,
        denominator=total,
        breakdown=breakdown,
        columns=["Route", "Children", "%"],
        table=[[r, n, pct(n, total)] for r, n in breakdown.items()],
    )


@leaving_routes.rows(columns=EPISODE_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = leavers(period)
    if cell is None:
        qs = qs.filter(reason_ceased__in=[c for r in PERMANENT_ORDERS for c in ROUTES[r]])
    elif cell != "denominator":
        qs = qs.filter(reason_ceased__in=ROUTES[cell])
    return _rows(qs)


# --- LVC-06: adoption -------------------------------------------------------------------------


def _adopted(period: Period) -> QuerySet[CareEpisode]:
    """Adopted leavers with the dates of their journey: `period_start` (the RNE = S episode; NULL
    where the period of care began before the earliest data held), `first_on_file` (the child's
    first episode on file in the period: the period's start where it began inside the data, its
    lower bound otherwise), the placement order (first E1 episode of the period on file) and the
    move to the adopters (first A3-A6 episode on file)."""

    def first(**f) -> Subquery:
        return Subquery(
            CareEpisode.objects.filter(child=OuterRef("child"), start__lte=OuterRef("end"), **f)
            .filter(start__gte=OuterRef("from_start"))
            .order_by("start")
            .values("start")[:1],
            output_field=DateField(),
        )

    return (
        leavers(period)
        .filter(reason_ceased__in=["E11", "E12"])
        .annotate(period_start=period_start_subquery(), first_on_file=first_on_file_subquery())
        .annotate(from_start=Coalesce("period_start", "first_on_file"))
        .annotate(
            placement_order=first(legal_status="E1"),
            placed_with_adopters=first(placement_type__in=sorted(ADOPTION_PLACEMENT_TYPES)),
        )
    )


def _waiting(period: Period) -> QuerySet[CareEpisode]:
    """Children looked after on 31 March under a placement order (E1) or freeing order (D1)."""
    return open_episodes(period.end).filter(legal_status__in=["E1", "D1"])


@figure(
    "LVC-06",
    title="Adoption orders",
    kind=Kind.COUNT,
    section=SECTION,
    unit="children",
    better="neither",
)
def adoption(period: Period) -> Result:
    """Children adopted in the period (leavers with reason E11 or E12), with: children waiting on
    31 March with a placement order (legal status E1 or D1, breakdown "waiting", of whom "placed
    with adopters" are in an A3-A6 placement); mean days from the placement order (start of the
    first E1 episode of the period of care) to the adoption order (the day care ended); mean
    days from entering care to moving in with the adopters (first A3-A6 episode). Matching dates
    are not held, so "not yet linked" cannot be counted.

    Periods of care that began before the earliest data held (no RNE = S episode on file, the
    reading in cohorts.first_on_file_subquery; an SSDA903 history imported from its first
    collection year holds only the episodes open in that year): the day the child entered care
    is unknown, so the child is left out of the entering-care mean; the placement order is the
    first E1 episode on file, and where that is the first episode on file the order may be older,
    so the child is left out of the placement-order mean. The table says how many children each
    mean leaves out, rather than averaging the dates on file as if they were the true ones."""
    adopted = _adopted(period)
    # Where the period began before the data, its start is unknown, and so is the placement
    # order's date when the first episode on file is already E1 (the order may be older).
    began_before = Q(period_start__isnull=True)
    order_before = began_before & Q(placement_order=F("first_on_file"))
    row = adopted.aggregate(
        n=Count("pk"),
        order_days=Avg(F("end") - F("placement_order"), filter=~order_before),
        move_days=Avg(F("placed_with_adopters") - F("period_start")),
        began_before=Count("pk", filter=began_before),
        order_before=Count("pk", filter=order_before),
    )
    waiting = _waiting(period).aggregate(
        n=Count("pk"),
        placed=Count("pk", filter=Q(placement_type__in=sorted(ADOPTION_PLACEMENT_TYPES))),
    )

    def days(value):
        if value is None:
            return None
        return round(value.days + value.seconds / 86400, 1) if hasattr(value, "days") else value

    return Result(
        value=row["n"],
        breakdown={
            "adopted": row["n"],
            "waiting": waiting["n"],
            "placed with adopters": waiting["placed"],
        },
        columns=["Measure", "Value"],
        table=[
            ["Adoption orders", row["n"]],
            ["Waiting with a placement order on 31 March", waiting["n"]],
            ["of whom placed with adopters", waiting["placed"]],
            ["Mean days, placement order to adoption order", days(row["order_days"])],
            ["Mean days, entering care to moving in with adopters", days(row["move_days"])],
            [
                "Adopted children left out of the placement order mean: the order was made"
                " before the earliest data held",
                row["order_before"],
            ],
            [
                "Adopted children left out of the entering care mean: care began before the"
                " earliest data held",
                row["began_before"],
            ],
        ],
    )


@adoption.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    if cell == "waiting":
        return children_in(_waiting(period))
    if cell == "placed with adopters":
        return children_in(
            _waiting(period).filter(placement_type__in=sorted(ADOPTION_PLACEMENT_TYPES))
        )
    return children_in(leavers(period).filter(reason_ceased__in=["E11", "E12"]))


@figure(
    "LVC-07",
    title="Young people staying put with their carers at 18",
    kind=Kind.COUNT,
    section=SECTION,
    unit="young people",
    better="higher",
)
def staying_put(period: Period) -> Result:
    """Leavers (as LVC-01) whose care ended with reason E17: aged 18 or over and staying with
    their carers (Staying Put). Care-leaver accommodation after 18 is not held, so CPB's "care
    leavers living with former foster carers" at a date is not counted."""
    return Result(value=leavers_by_reason(period)["E17"])


@staying_put.rows(columns=EPISODE_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    return _rows(leavers(period).filter(reason_ceased="E17"))
