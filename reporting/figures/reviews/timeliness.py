"""How many reviews, when, and on time (REV-01 to REV-04)."""

from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
)

from reporting.figures.base import Kind, Period, Result, figure, pct
from reporting.figures.reviews.common import (
    ON_TIME,
    OUT_OF_TIMESCALE,
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
    the monthly percentages (a published report gave 85%, 83.7% and 82% for one year). Monthly values: the reviews of each
    month (held date, or due date for a missed review).
    """
    qs = reviews_for_timeliness(period)
    row = qs.aggregate(
        n=Count("pk"),
        on_time=Count("pk", filter=ON_TIME),
        missed=Count("pk", filter=Q(status=ReviewStatus.MISSED)),
    )
    late = row["n"] - row["on_time"] - row["missed"]
    return Result(
        value=pct(row["on_time"], row["n"]),
        numerator=row["on_time"],
        denominator=row["n"],
        breakdown={"on time": row["on_time"], "held late": late, "missed": row["missed"]},
        months=monthly_pct(qs, "on", ON_TIME, period),
        note="Reviews on time ÷ reviews held or missed in the year (missed reviews are late).",
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
        qs = qs.filter(status=ReviewStatus.HELD, held_on__gt=F("due_date"))
    elif cell == "missed":
        qs = qs.filter(status=ReviewStatus.MISSED)
    return qs.order_by("on", "pk")


SEQUENCES = [s.value for s in ReviewSequence]


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
    """
    late = reviews_for_timeliness(period).filter(OUT_OF_TIMESCALE)
    breakdown = counts_by(late, "sequence", SEQUENCES)
    total = sum(breakdown.values())
    first = breakdown[ReviewSequence.FIRST]
    return Result(value=pct(first, total), numerator=first, denominator=total, breakdown=breakdown)


@late_reviews_by_sequence.rows(columns=TIMELINESS_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = reviews_for_timeliness(period).filter(OUT_OF_TIMESCALE)
    if cell is None:
        qs = qs.filter(sequence=ReviewSequence.FIRST)
    elif cell in SEQUENCES:
        qs = qs.filter(sequence=cell)
    return qs.order_by("on", "pk")
