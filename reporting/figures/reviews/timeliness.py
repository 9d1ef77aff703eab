"""How many reviews, when, and on time (REV-01 to REV-04)."""

from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
)

from reporting.figures.base import Kind, Period, Result, figure, pct
from reporting.figures.reviews.common import (
    NOT_PLACED,
    ON_TIME,
    OUT_OF_TIMESCALE,
    PLACED,
    REVIEW_COLUMNS,
    TIMELINESS_COLUMNS,
    held_rows,
    held_summary,
    reviews_for_timeliness,
    reviews_held,
)
from reporting.figures.series import (
    counts_by,
    is_month_key,
    month_bounds,
    monthly_counts,
    monthly_pct,
)
from reviews.models import (
    ReviewSequence,
    ReviewStatus,
)

# Breakdown row of REV-03 and REV-04: imported reviews whose place in the period is not known.
NOT_PLACED_LABEL = "could not be placed"


@figure(
    "REV-01",
    title="CLA reviews held",
    kind=Kind.COUNT,
    section="reviews",
    unit="reviews",
    better="neither",
)
def reviews_held_count(period: Period) -> Result:
    """Looked-after reviews held in the period (statutory and adoption reviews alike: a review
    held is one meeting recorded as held, whatever its sequence)."""
    return Result(value=held_summary(period)["n"])


@reviews_held_count.rows(columns=REVIEW_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    return reviews_held(period).order_by("held_on", "pk")


@figure(
    "REV-02",
    title="CLA reviews held per month",
    kind=Kind.COUNT,
    section="reviews",
    unit="reviews",
    better="neither",
    covers="each month",
)
def reviews_held_per_month(period: Period) -> Result:
    """Reviews held in each calendar month of the period (by the date held), with the mean per
    month and the highest and lowest months in the table."""
    months = monthly_counts(reviews_held(period), "held_on", period)
    total = sum(months.values())
    table = []
    if months:
        high = max(months, key=lambda k: months[k])
        low = min(months, key=lambda k: months[k])
        table = [
            ["mean per month", round(total / len(months), 1)],
            [f"highest ({high})", months[high]],
            [f"lowest ({low})", months[low]],
        ]
    return Result(value=total, months=months, columns=["measure", "reviews"], table=table)


@reviews_held_per_month.rows(columns=REVIEW_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    return held_rows(period, cell)


@figure(
    "REV-03",
    title="CLA reviews held on time",
    kind=Kind.PCT,
    section="reviews",
    unit="%",
    target=95,
)
def reviews_on_time(period: Period) -> Result:
    """Reviews on time as a percentage of reviews that fell to be held in the period.

    Denominator: reviews held in the period plus reviews missed (never held although they fell
    due while the child was looked after) whose due date is in the period. Numerator: reviews
    held on or before their due date (the first review 20 working days after entering care, the
    second 3 months after the first, then 6-monthly, with adoption reviews, as reviews.rules
    computes them). The year's figure is on-time reviews divided by all reviews, not the mean of
    the monthly percentages (a published report gave 85%, 83.7% and 82% for one year). Monthly
    values: the reviews of each month (held date, or due date for a missed review).

    Reviews that could not be placed are left out of both numerator and denominator and counted
    in the breakdown ("could not be placed"): reviews imported from an SSDA903 return whose
    period of care began before the earliest imported year, with fewer than two reviews of the
    period on record before them. The due date counts from the previous review actually held
    (docs/rules.md section 1), which the return does not hold for them, so whether they were on
    time is not known (docs/rules.md section 1, reviews imported from the SSDA903). A missed one
    is placed in the period by its estimated due date.

    Additional reviews (brought forward) count like any other held review, on their due date.
    The SSDA903 cannot mark a review as additional, so an imported one takes its place in the
    normal cycle (first, second or subsequent); its due date, and so this figure, is the same
    (docs/rules.md section 1, additional reviews after an import).
    """
    qs = reviews_for_timeliness(period)
    row = qs.aggregate(
        n=Count("pk", filter=PLACED),
        on_time=Count("pk", filter=ON_TIME),
        missed=Count("pk", filter=Q(status=ReviewStatus.MISSED) & PLACED),
        not_placed=Count("pk", filter=NOT_PLACED),
    )
    late = row["n"] - row["on_time"] - row["missed"]
    note = "Reviews on time ÷ reviews held or missed in the year (missed reviews are late)."
    if row["not_placed"]:
        note += (
            f" {row['not_placed']} reviews imported from the SSDA903 return could not be placed in"
            " their period of care (care began before the earliest imported year), so their due"
            " date is not known: left out."
        )
    return Result(
        value=pct(row["on_time"], row["n"]),
        numerator=row["on_time"],
        denominator=row["n"],
        breakdown={
            "on time": row["on_time"],
            "held late": late,
            "missed": row["missed"],
            NOT_PLACED_LABEL: row["not_placed"],
        },
        months=monthly_pct(qs.filter(PLACED), "on", ON_TIME, period),
        note=note,
    )


@reviews_on_time.rows(columns=TIMELINESS_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = reviews_for_timeliness(period)
    if is_month_key(cell):
        start, end = month_bounds(cell)
        qs = qs.filter(on__gte=start, on__lte=end)
    elif cell is None or cell == "on time":
        qs = qs.filter(ON_TIME)
    elif cell == "held late":
        qs = qs.filter(PLACED, status=ReviewStatus.HELD, held_on__gt=F("due_date"))
    elif cell == "missed":
        qs = qs.filter(PLACED, status=ReviewStatus.MISSED)
    elif cell == NOT_PLACED_LABEL:
        qs = qs.filter(NOT_PLACED)
    elif cell == "denominator":
        qs = qs.filter(PLACED)
    return qs.order_by("on", "pk")


SEQUENCES = [s.value for s in ReviewSequence if s != ReviewSequence.NOT_KNOWN]


@figure(
    "REV-04",
    title="Late first reviews among late reviews",
    kind=Kind.PCT,
    section="reviews",
    unit="%",
    better="lower",
)
def late_reviews_by_sequence(period: Period) -> Result:
    """Reviews out of timescale in the period (held late or missed, on the REV-03 basis) by
    review number; the value is the share that were first reviews (the seed report: 105 of 255).

    Reviews imported from an SSDA903 return that could not be placed in their period of care
    (care began before the earliest imported year: neither their number nor their due date is
    known, docs/rules.md section 1) are neither counted late nor given a number; the breakdown
    says how many of the period's reviews that was ("could not be placed"), as REV-03 does.
    """
    qs = reviews_for_timeliness(period)
    late = qs.filter(OUT_OF_TIMESCALE)
    breakdown = counts_by(late, "sequence", SEQUENCES)
    total = sum(breakdown.values())
    first = breakdown[ReviewSequence.FIRST]
    not_placed = qs.filter(NOT_PLACED).count()
    return Result(
        value=pct(first, total),
        numerator=first,
        denominator=total,
        breakdown={**breakdown, NOT_PLACED_LABEL: not_placed},
        note=(
            f"{not_placed} reviews imported from the SSDA903 return could not be placed in their"
            " period of care (care began before the earliest imported year): left out."
            if not_placed
            else ""
        ),
    )


@late_reviews_by_sequence.rows(columns=TIMELINESS_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = reviews_for_timeliness(period).filter(OUT_OF_TIMESCALE)
    if cell is None:
        qs = qs.filter(sequence=ReviewSequence.FIRST)
    elif cell in SEQUENCES:
        qs = qs.filter(sequence=cell)
    elif cell == NOT_PLACED_LABEL:
        qs = reviews_for_timeliness(period).filter(NOT_PLACED)
    return qs.order_by("on", "pk")
