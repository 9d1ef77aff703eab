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
    NOT_PLACED,
    PLAN_KNOWN,
    PLAN_NOT_KNOWN,
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
    percentage of reviews held whose plan is known; monthly percentages by the month held.

    A review imported from an SSDA903 return (and given no plan in the service since) has no
    plan on record because the return carries none (docs/rules.md sections 1 and 3.1), not
    because there was none: it is left out of the denominator and counted as "not known" in the
    breakdown."""
    row = held_summary(period)
    known = row["n"] - row["plan_not_known"]
    return Result(
        value=pct(row["plan"], known),
        numerator=row["plan"],
        denominator=known,
        breakdown={
            "plan": row["plan"],
            "no plan": known - row["plan"],
            PLAN_NOT_KNOWN_LABEL: row["plan_not_known"],
        },
        months=monthly_pct(reviews_held(period).filter(PLAN_KNOWN), "held_on", HAS_PLAN, period),
        note=_not_known_note(row["plan_not_known"]),
    )


PLAN_NOT_KNOWN_LABEL = "not known"


def _not_known_note(count: int) -> str:
    if not count:
        return ""
    return (
        f"{count} reviews imported from the SSDA903 return, which carries no permanence plan:"
        " plan not known, left out."
    )


@permanence_plan.rows(columns=(*REVIEW_COLUMNS, ("Plan", "permanence_plan_type")))
def _(period: Period, cell: str | None) -> QuerySet:
    if cell == PLAN_NOT_KNOWN_LABEL:
        return in_review_order(reviews_held(period).filter(PLAN_NOT_KNOWN))
    if cell == "no plan":
        return in_review_order(reviews_held(period).filter(PLAN_KNOWN, ~HAS_PLAN))
    if cell == "denominator":
        return in_review_order(reviews_held(period).filter(PLAN_KNOWN))
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
    entering care) at which a permanence plan was recorded, as a percentage of second reviews
    whose plan is known.

    Second reviews imported from an SSDA903 return have no plan on record because the return
    carries none (docs/rules.md sections 1 and 3.1): they are left out of the denominator and
    counted as "not known". Imported reviews that could not be placed in their period of care
    (care began before the earliest imported year, docs/rules.md section 1) may or may not be
    second reviews: the breakdown counts them as "could not be placed".

    An additional review (brought forward) held second in its period is not a second review in
    the service (the next one is counted as subsequent). The SSDA903 cannot mark a review as
    additional, so an imported one is counted here as the period's second review, by the number
    of reviews held before it (docs/rules.md section 1, additional reviews after an import); the
    import does not guess which reviews were additional."""
    held = reviews_held(period)
    second = held.filter(sequence=ReviewSequence.SECOND)
    row = second.aggregate(
        n=Count("pk", filter=PLAN_KNOWN),
        yes=Count("pk", filter=HAS_PLAN),
        not_known=Count("pk", filter=PLAN_NOT_KNOWN),
    )
    not_placed = held.filter(NOT_PLACED).count()
    note = _not_known_note(row["not_known"])
    if not_placed:
        note += (
            f" {not_placed} imported reviews could not be placed in their period of care"
            " (care began before the earliest imported year)."
        ).rstrip()
    return Result(
        value=pct(row["yes"], row["n"]),
        numerator=row["yes"],
        denominator=row["n"],
        breakdown={
            "plan": row["yes"],
            "no plan": row["n"] - row["yes"],
            PLAN_NOT_KNOWN_LABEL: row["not_known"],
            "could not be placed": not_placed,
        },
        months=monthly_pct(second.filter(PLAN_KNOWN), "held_on", HAS_PLAN, period),
        note=note.strip(),
    )


@permanence_plan_second_review.rows(columns=(*REVIEW_COLUMNS, ("Plan", "permanence_plan_type")))
def _(period: Period, cell: str | None) -> QuerySet:
    held = reviews_held(period)
    qs = held.filter(sequence=ReviewSequence.SECOND)
    if is_month_key(cell):
        start, end = month_bounds(cell)
        qs = qs.filter(PLAN_KNOWN, held_on__gte=start, held_on__lte=end)
    elif cell == "denominator":
        qs = qs.filter(PLAN_KNOWN)
    elif cell == "no plan":
        qs = qs.filter(PLAN_KNOWN, ~HAS_PLAN)
    elif cell == PLAN_NOT_KNOWN_LABEL:
        qs = qs.filter(PLAN_NOT_KNOWN)
    elif cell == "could not be placed":
        qs = held.filter(NOT_PLACED)
    else:
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
    part of a parallel (twin or triple) plan, as the Birmingham report does.

    Reviews imported from an SSDA903 return carry no plan (docs/rules.md sections 1 and 3.1):
    they are left out of the table's "all reviews held" and counted as "not known" in the
    breakdown."""
    held = reviews_held(period)
    plan_not_known = held.filter(PLAN_NOT_KNOWN).count()
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
    all_held = held.filter(PLAN_KNOWN).aggregate(n=Count("pk"))["n"]
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
        breakdown={**tracks, PLAN_NOT_KNOWN_LABEL: plan_not_known},
        note=_not_known_note(plan_not_known),
        columns=["plan type", "single track", "% of reviews", "parallel plan", "% of reviews"],
        table=table,
    )


@permanence_track_and_type.rows(
    columns=(*REVIEW_COLUMNS, ("Plan", "permanence_plan_type"), ("Track", "permanence_track"))
)
def _(period: Period, cell: str | None) -> QuerySet:
    if cell == PLAN_NOT_KNOWN_LABEL:
        return in_review_order(reviews_held(period).filter(PLAN_NOT_KNOWN))
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
