"""Area 4 of FIGURES.md: looked-after (CLA) reviews (REV-01 to REV-17)."""

from django.db.models import Count, QuerySet

from reporting.figures.base import Kind, Period, Result, figure, shared
from reviews.models import Review, ReviewStatus

REVIEW_COLUMNS = (
    ("LA child ID", "child__la_child_id"),
    ("Child", "child__first_name"),
    ("Sequence", "sequence"),
    ("Due", "due_date"),
    ("Held", "held_on"),
)


@shared
def reviews_held(period: Period) -> QuerySet:
    """CLA reviews held in the period (held date inside it)."""
    return Review.objects.filter(
        status=ReviewStatus.HELD, held_on__gte=period.start, held_on__lte=period.end
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
    return Result(value=reviews_held(period).aggregate(n=Count("pk"))["n"])


@reviews_held_count.rows(columns=REVIEW_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    return reviews_held(period).order_by("held_on", "pk")
