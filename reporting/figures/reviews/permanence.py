"""Permanence plans and the child's voice (REV-12 to REV-15): a plan for permanence by the second
review, its track and type, and whether the child's views were considered.
"""

from django.db.models import (
    Count,
    Q,
    QuerySet,
)

from reporting.figures.base import Kind, Period, Result, figure, pct
from reporting.figures.reviews.common import (
    HAS_PLAN,
    REVIEW_COLUMNS,
    VOICE,
    held_rows,
    held_summary,
    in_review_order,
    reviews_held,
)
from reporting.figures.series import (
    counts_by,
    is_month_key,
    month_bounds,
    monthly_pct,
)
from reviews.models import (
    PermanencePlanType,
    PermanenceTrack,
    ReviewSequence,
)


@figure(
    "REV-12",
    title="Permanence plan in place at the review",
    kind=Kind.PCT,
    section="reviews",
    unit="%",
)
def permanence_plan(period: Period) -> Result:
    """Reviews held in the period at which a permanence plan was recorded (any type), as a
    percentage of reviews held; monthly percentages by the month held."""
    months = monthly_pct(reviews_held(period), "held_on", HAS_PLAN, period)
    row = held_summary(period)
    return Result(
        value=pct(row["plan"], row["n"]), numerator=row["plan"], denominator=row["n"], months=months
    )


@permanence_plan.rows(columns=(*REVIEW_COLUMNS, ("Plan", "permanence_plan_type")))
def _(period: Period, cell: str | None) -> QuerySet:
    return held_rows(period, cell, HAS_PLAN)


@figure(
    "REV-13",
    title="Permanence plan at the second review",
    kind=Kind.PCT,
    section="reviews",
    unit="%",
)
def permanence_plan_second_review(period: Period) -> Result:
    """Second reviews held in the period (due 3 months after the first, about 4 months after
    entering care) at which a permanence plan was recorded, as a percentage of second reviews."""
    second = reviews_held(period).filter(sequence=ReviewSequence.SECOND)
    row = second.aggregate(n=Count("pk"), yes=Count("pk", filter=HAS_PLAN))
    return Result(
        value=pct(row["yes"], row["n"]),
        numerator=row["yes"],
        denominator=row["n"],
        months=monthly_pct(second, "held_on", HAS_PLAN, period),
    )


@permanence_plan_second_review.rows(columns=(*REVIEW_COLUMNS, ("Plan", "permanence_plan_type")))
def _(period: Period, cell: str | None) -> QuerySet:
    qs = reviews_held(period).filter(sequence=ReviewSequence.SECOND)
    if is_month_key(cell):
        start, end = month_bounds(cell)
        qs = qs.filter(held_on__gte=start, held_on__lte=end)
    elif cell != "denominator":
        qs = qs.filter(HAS_PLAN)
    return in_review_order(qs)


TRACKS = [t.value for t in PermanenceTrack]
PLAN_TYPES = [p.value for p in PermanencePlanType]


@figure(
    "REV-14",
    title="Permanence plans on a single track",
    kind=Kind.PCT,
    section="reviews",
    unit="%",
    better="neither",
)
def permanence_track_and_type(period: Period) -> Result:
    """Reviews held in the period with a permanence plan and its track recorded, by track
    (single, twin, triple); the value is the share on a single track. The table gives each plan
    type as a percentage of all reviews held, split into single-track plans and plans that are
    part of a parallel (twin or triple) plan, as the Birmingham report does."""
    held = reviews_held(period)
    tracks = counts_by(held.filter(HAS_PLAN).exclude(permanence_track=""), "permanence_track",
                       TRACKS)  # fmt: skip
    total_tracked = sum(tracks.values())
    rows = (
        held.filter(HAS_PLAN)
        .order_by()
        .values("permanence_plan_type")
        .annotate(
            single=Count("pk", filter=Q(permanence_track=PermanenceTrack.SINGLE)),
            parallel=Count("pk", filter=Q(permanence_track__in=["twin", "triple"])),
        )
    )
    by_type = {r["permanence_plan_type"]: r for r in rows}
    all_held = held.aggregate(n=Count("pk"))["n"]
    table = [
        [
            PermanencePlanType(t).label,
            by_type.get(t, {}).get("single", 0),
            pct(by_type.get(t, {}).get("single", 0), all_held),
            by_type.get(t, {}).get("parallel", 0),
            pct(by_type.get(t, {}).get("parallel", 0), all_held),
        ]
        for t in PLAN_TYPES
    ]
    return Result(
        value=pct(tracks[PermanenceTrack.SINGLE], total_tracked),
        numerator=tracks[PermanenceTrack.SINGLE],
        denominator=total_tracked,
        breakdown=tracks,
        columns=["plan type", "single track", "% of reviews", "parallel plan", "% of reviews"],
        table=table,
    )


@permanence_track_and_type.rows(
    columns=(*REVIEW_COLUMNS, ("Plan", "permanence_plan_type"), ("Track", "permanence_track"))
)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = reviews_held(period).filter(HAS_PLAN).exclude(permanence_track="")
    if cell is None:
        qs = qs.filter(permanence_track=PermanenceTrack.SINGLE)
    elif cell in TRACKS:
        qs = qs.filter(permanence_track=cell)
    return in_review_order(qs)


@figure(
    "REV-15",
    title="Child's voice considered in the care plan",
    kind=Kind.PCT,
    section="reviews",
    unit="%",
)
def voice_considered(period: Period) -> Result:
    """Reviews held in the period at which the IRO judged that the child's wishes and feelings
    were considered in the care plan, as a percentage of all reviews held (the Birmingham basis:
    for the youngest children the IRO judges from observation and the carers' account)."""
    row = held_summary(period)
    return Result(value=pct(row["voice"], row["n"]), numerator=row["voice"], denominator=row["n"])


@voice_considered.rows(columns=REVIEW_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    return held_rows(period, cell, VOICE)
