"""Safeguarding issues raised at reviews and papers ready before them (REV-16, REV-17)."""

from django.db.models import (
    CharField,
    Count,
    F,
    Func,
    Q,
    QuerySet,
)

from iro.codes import SHORT_BREAK_LEGAL_STATUSES
from iro.models import CareEpisode
from reporting.figures.base import Kind, Period, Result, figure, pct, shared
from reporting.figures.reviews.common import (
    ISSUE,
    REVIEW_COLUMNS,
    held_summary,
    in_review_order,
    papers_ready_condition,
    reviews_held,
    with_report_days,
)
from reviews.models import (
    SafeguardingIssue,
)

ISSUE_TYPES = [i.value for i in SafeguardingIssue]


@shared
def children_looked_after_in(period: Period) -> int:
    """How many children were looked after at any time in the period (short breaks left out)."""
    return (
        CareEpisode.objects.filter(start__lte=period.end)
        .filter(Q(end__isnull=True) | Q(end__gte=period.start))
        .exclude(legal_status__in=SHORT_BREAK_LEGAL_STATUSES)
        .aggregate(n=Count("child", distinct=True))["n"]
    )


@figure(
    "REV-16",
    title="Reviews with a current safeguarding issue",
    kind=Kind.COUNT,
    section="reviews",
    unit="reviews",
    better="lower",
)
def safeguarding_issues(period: Period) -> Result:
    """Reviews held in the period at which a current safeguarding issue was raised (count, and
    as a percentage of reviews held); the breakdown counts the reviews naming each issue type
    (a review may name several). The table adds children with an issue at any review in the
    period as a percentage of children looked after at any time in the period (CLA-05 basis)."""
    held = reviews_held(period)
    summary = held_summary(period)
    row = {"n": summary["n"], "yes": summary["issues"], "children": summary["children_with_issue"]}
    in_care = children_looked_after_in(period)
    type_rows = dict(
        held.filter(ISSUE)
        .order_by()
        .annotate(_type=Func(F("safeguarding_types"), function="unnest", output_field=CharField()))
        .values("_type")
        .annotate(_n=Count("pk"))
        .values_list("_type", "_n")
    )
    breakdown = {t: type_rows.get(t, 0) for t in ISSUE_TYPES}
    return Result(
        value=row["yes"],
        numerator=row["yes"],
        denominator=row["n"],
        breakdown=breakdown,
        columns=["measure", "with an issue", "of", "%"],
        table=[
            ["reviews held", row["yes"], row["n"], pct(row["yes"], row["n"])],
            [
                "children looked after in the year",
                row["children"],
                in_care,
                pct(row["children"], in_care),
            ],
        ],  # fmt: skip
    )


@safeguarding_issues.rows(columns=(*REVIEW_COLUMNS, ("Issue types", "safeguarding_types")))
def _(period: Period, cell: str | None) -> QuerySet:
    qs = reviews_held(period)
    if cell in ISSUE_TYPES:
        qs = qs.filter(safeguarding_types__contains=[cell])
    elif cell != "denominator":
        qs = qs.filter(ISSUE)
    return in_review_order(qs)


@figure(
    "REV-17",
    title="Social worker's report ready before the review",
    kind=Kind.PCT,
    section="reviews",
    unit="%",
)
def papers_ready(period: Period) -> Result:
    """REV-17: reviews held in the period for which the social worker's report was available at
    least 3 *full* working days before the meeting, as a percentage of reviews held.

    Reading (reviews.rules.papers_ready, which states it with its source: the definition of REV-17 and
    docs/rules.md section 4, "Working days"): a full working day lies wholly between the day the report
    arrived and the day of the review, neither counted; for a Friday review the report must have
    arrived by the Monday. A review with no report date recorded counts as not ready. Working
    days exclude weekends and England and Wales bank holidays."""
    row = held_summary(period)
    return Result(value=pct(row["papers"], row["n"]), numerator=row["papers"], denominator=row["n"])


@papers_ready.rows(columns=(*REVIEW_COLUMNS, ("Report received", "sw_report_received_on")))
def _(period: Period, cell: str | None) -> QuerySet:
    qs = with_report_days(reviews_held(period))
    return in_review_order(qs if cell == "denominator" else qs.filter(papers_ready_condition()))
