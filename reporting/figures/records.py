"""Area 5 of FIGURES.md: review record timeliness (REC-01)."""

from django.db.models import Avg, Count, F, Q, QuerySet

from reporting.figures.base import Kind, Period, Result, figure, pct
from reporting.figures.reviews import REVIEW_COLUMNS, reviews_held
from reporting.figures.workdays import WorkingDays
from reviews import rules

# (breakdown key, date field, statutory working days)
STEPS = (
    ("manager informed", "manager_informed_on", rules.MANAGER_INFORMED_WORKING_DAYS),
    ("record completed", "record_completed_on", rules.RECORD_COMPLETED_WORKING_DAYS),
    ("record distributed", "record_distributed_on", rules.RECORD_DISTRIBUTED_WORKING_DAYS),
)
STEP_KEYS = {key: (field, limit) for key, field, limit in STEPS}


def _with_days(qs: QuerySet) -> QuerySet:
    return qs.annotate(
        **{f"_days_{field}": WorkingDays(F("held_on"), F(field)) for _k, field, _l in STEPS}
    )


@figure(
    "REC-01",
    title="Working days to send out the review record",
    kind=Kind.MEAN,
    section="review_records",
    unit="working days",
    target=rules.RECORD_DISTRIBUTED_WORKING_DAYS,
    better="lower",
)
def record_timeliness(period: Period) -> Result:
    """For reviews held in the period: the mean number of working days from the review to (a)
    the team manager being told the recommendations (expected within 5), (b) the record being
    completed (15) and (c) the record being sent out (20), each over the reviews where that step
    is recorded; and how many of those were within the limit. Working days exclude weekends and
    England bank holidays, the day after the review being day 1. The value is the mean to the
    record being sent out, the end of the process (Birmingham, Table 7, 2022/23: 28.2).

    Breakdown: the mean for each step (keys as in the table). Drill-down: the reviews with each
    step recorded (cell = the step's key); cell None = the reviews sent out.
    """
    aggregates = {}
    for _key, field, limit in STEPS:
        days = F(f"_days_{field}")
        done = Q(**{f"{field}__isnull": False})
        aggregates[f"{field}_n"] = Count("pk", filter=done)
        aggregates[f"{field}_mean"] = Avg(days, filter=done)
        aggregates[f"{field}_within"] = Count(
            "pk", filter=done & Q(**{f"_days_{field}__lte": limit})
        )
    row = _with_days(reviews_held(period)).aggregate(**aggregates)
    means, table = {}, []
    for key, field, limit in STEPS:
        mean = row[f"{field}_mean"]
        means[key] = round(float(mean), 1) if mean is not None else None
        n, within = row[f"{field}_n"], row[f"{field}_within"]
        table.append([key, limit, means[key], n, within, pct(within, n)])
    return Result(
        value=means["record distributed"],
        breakdown=means,
        columns=["step", "expected (working days)", "mean", "records", "within", "% within"],
        table=table,
    )


@record_timeliness.rows(
    columns=(
        *REVIEW_COLUMNS,
        ("Manager informed", "manager_informed_on"),
        ("Record completed", "record_completed_on"),
        ("Record distributed", "record_distributed_on"),
    )
)
def _(period: Period, cell: str | None) -> QuerySet:
    field, _limit = STEP_KEYS.get(cell or "record distributed", STEP_KEYS["record distributed"])
    return reviews_held(period).filter(**{f"{field}__isnull": False}).order_by("held_on", "pk")
