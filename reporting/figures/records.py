"""Area 5 of the figure catalogue (docs/figures.md): review record timeliness (REC-01)."""

from django.db.models import F, QuerySet

from iro.db_router import reporting_connection
from reporting.figures.base import Kind, Period, Result, figure, pct
from reporting.figures.reviews.common import REVIEW_COLUMNS, reviews_held
from reporting.figures.workdays import WorkingDayNumber
from reviews import rules

# (breakdown key, date field, statutory working days)
STEPS = (
    ("manager informed", "manager_informed_on", rules.MANAGER_INFORMED_WORKING_DAYS),
    ("record completed", "record_completed_on", rules.RECORD_COMPLETED_WORKING_DAYS),
    ("record distributed", "record_distributed_on", rules.RECORD_DISTRIBUTED_WORKING_DAYS),
)
STEP_KEYS = {key: (field, limit) for key, field, limit in STEPS}


def _day_numbers(qs: QuerySet) -> tuple[str, tuple]:
    """SQL of `qs` as one row per review with the working-day number of the review date
    (``held``) and of each step's date (NULL when not recorded)."""
    values = {"held": WorkingDayNumber(F("held_on"))}
    values.update({field: WorkingDayNumber(F(field)) for _k, field, _l in STEPS})
    return qs.order_by().values(**{f"_n_{k}": v for k, v in values.items()}).query.sql_with_params()


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
    record being sent out, the end of the process (Birmingham, Table 7, 2022/23: 28.2). A
    record written to the child counts like any record: finishing it sets the completed date and
    sending it the distributed date, unless the review already has them.

    Breakdown: the mean for each step (keys as in the table). Drill-down: the reviews with each
    step recorded (cell = the step's key); cell None = the reviews sent out.
    """
    # One pass: each date's working-day number once per review, the steps' days as differences.
    sql, params = _day_numbers(reviews_held(period))
    selects = []
    for _key, field, limit in STEPS:
        done, days = f"_n_{field} IS NOT NULL", f"(_n_{field} - _n_held)"
        selects += [
            f"COUNT(*) FILTER (WHERE {done})",
            f"AVG({days}) FILTER (WHERE {done})",
            f"COUNT(*) FILTER (WHERE {done} AND {days} <= {int(limit)})",
        ]
    with reporting_connection().cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(selects)} FROM ({sql}) AS r", params)
        values = cursor.fetchone()
    row = {}
    for i, (_key, field, _limit) in enumerate(STEPS):
        n, mean, within = values[3 * i : 3 * i + 3]
        row.update({f"{field}_n": n, f"{field}_mean": mean, f"{field}_within": within})
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
