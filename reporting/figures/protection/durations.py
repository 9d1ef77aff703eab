"""How long plans last and repeat plans (CP-13 to CP-16): plan durations, the long plans panel,
plans ended after two years or more, and second or later plans.
"""

from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
)

from iro import codes
from iro.codes import CategoryOfAbuse
from protection import rules
from protection.models import (
    ProtectionPlan,
)
from reporting.figures.base import Kind, Period, Result, figure, pct
from reporting.figures.protection.common import (
    DURATION_BANDS,
    PLAN_COLUMNS,
    band_filter,
    keyed,
    plan_rows,
    plans_on_summary,
    plans_started_in,
    with_months,
)


@figure(
    "CP-13",
    title="How long current plans have lasted on 31 March",
    kind=Kind.COUNT,
    section="child_protection",
    unit="plans",
    covers="on 31 March",
    better="neither",
)
def plan_durations(period: Period) -> Result:
    """Plans open at the end of the period by whole months since they started (a month counts
    once the same day number is reached, clamped to month ends): under 6, 6-12, 12-15, 15-18,
    18-24, 24 or more. The value is the total."""
    breakdown = keyed(plans_on_summary(period)["duration"], [b[0] for b in DURATION_BANDS])
    return Result(value=sum(breakdown.values()), breakdown=breakdown)


@plan_durations.rows(columns=PLAN_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = with_months(period.end)
    for label, lo, hi in DURATION_BANDS:
        if cell == label:
            qs = qs.filter(band_filter(lo, hi))
    return plan_rows(qs)


PANEL_CUTS = [("15+", 15), ("16+", 16), ("18+", 18), ("24+", 24)]


@figure(
    "CP-14",
    title="Plans lasting 15 months or more (panel list)",
    kind=Kind.LIST,
    section="child_protection",
    unit="children",
    covers="on 31 March",
    better="lower",
)
def long_plans_list(period: Period) -> Result:
    """The children whose plan, open at the end of the period, has lasted 15 months or more
    (whole months as CP-13), longest first, for the panel; the breakdown cuts the list at 15,
    16, 18 and 24 months."""
    qs = with_months(period.end).filter(_months__gte=rules.PANEL_MONTHS)
    rows = list(
        qs.order_by("start", "pk").values_list(
            "child__la_child_id", "child__first_name", "child__last_name", "start", "_months",
            "latest_category",
        )
    )  # fmt: skip
    breakdown = {label: sum(1 for r in rows if r[4] >= months) for label, months in PANEL_CUTS}
    return Result(
        value=len(rows),
        breakdown=breakdown,
        columns=["LA child ID", "First name", "Last name", "Plan start", "Months", "Category"],
        table=[[*r[:5], codes.code_label(CategoryOfAbuse, r[5])] for r in rows],
    )


@long_plans_list.rows(columns=PLAN_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    months = dict(PANEL_CUTS).get(cell or "15+", rules.PANEL_MONTHS)
    return plan_rows(with_months(period.end).filter(_months__gte=months))


def _plus_months(field: str, months: int) -> Func:
    """SQL: `field` plus `months` months (PostgreSQL clamps to month ends, as add_months does)."""
    return Func(
        F(field), template=f"(%(expressions)s + interval '{int(months)} months')::date",
        output_field=DateField(),
    )  # fmt: skip


LASTED_2_YEARS = Q(end__gte=_plus_months("start", rules.LONG_PLAN_MONTHS))


@figure(
    "CP-15",
    title="Plans ending after two years or more",
    kind=Kind.PCT,
    section="child_protection",
    unit="%",
    better="lower",
)
def plans_two_years(period: Period) -> Result:
    """Plans that ended in the period having lasted 2 years or more (end on or after the
    second anniversary of the start), as a percentage of plans that ended in the period (DfE
    table D7 basis). The table adds plans open at the end of the period that have lasted more
    than 2 years (the Middlesbrough 2020/21 wording)."""
    ended = ProtectionPlan.objects.filter(end__gte=period.start, end__lte=period.end)
    row = ended.aggregate(n=Count("pk"), yes=Count("pk", filter=LASTED_2_YEARS))
    open_row = with_months(period.end).aggregate(
        n=Count("pk"), long=Count("pk", filter=Q(_months__gte=rules.LONG_PLAN_MONTHS))
    )
    return Result(
        value=pct(row["yes"], row["n"]),
        numerator=row["yes"],
        denominator=row["n"],
        columns=["plans", "2 years or more", "of", "%"],
        table=[
            ["ended in the year", row["yes"], row["n"], pct(row["yes"], row["n"])],
            [
                "open at the end of the year",
                open_row["long"],
                open_row["n"],
                pct(open_row["long"], open_row["n"]),
            ],
        ],  # fmt: skip
    )


@plans_two_years.rows(columns=PLAN_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = ProtectionPlan.objects.filter(end__gte=period.start, end__lte=period.end)
    return plan_rows(qs if cell == "denominator" else qs.filter(LASTED_2_YEARS))


REPEAT_EVER = Q(previous_plans__gte=1)


def _repeat_within_2_years() -> Exists:
    return Exists(
        ProtectionPlan.objects.filter(
            child=OuterRef("child"),
            end__isnull=False,
            end__lte=OuterRef("start"),
            end__gte=Func(
                OuterRef("start"),
                template=f"(%(expressions)s - interval '{rules.REPEAT_PLAN_WINDOW_MONTHS} months')::date",
                output_field=DateField(),
            ),
        )
    )


@figure(
    "CP-16",
    title="Second or later child protection plans",
    kind=Kind.PCT,
    section="child_protection",
    unit="%",
    better="lower",
)
def repeat_plans(period: Period) -> Result:
    """Plans started in the period for a child who had had a plan before, ever (the DfE basis:
    number of previous plans 1 or more), as a percentage of plans started. The table adds the
    local variant: a previous plan that ended within 24 months before the new one started."""
    qs = plans_started_in(period).annotate(_within=_repeat_within_2_years())
    row = qs.aggregate(
        n=Count("pk"),
        ever=Count("pk", filter=REPEAT_EVER),
        within=Count("pk", filter=Q(_within=True)),
    )
    return Result(
        value=pct(row["ever"], row["n"]),
        numerator=row["ever"],
        denominator=row["n"],
        columns=["basis", "repeat plans", "plans started", "%"],
        table=[
            ["any previous plan (DfE)", row["ever"], row["n"], pct(row["ever"], row["n"])],
            [
                "previous plan ended within 24 months (local)",
                row["within"],
                row["n"],
                pct(row["within"], row["n"]),
            ],
        ],  # fmt: skip
    )


@repeat_plans.rows(columns=(*PLAN_COLUMNS, ("Previous plans", "previous_plans")))
def _(period: Period, cell: str | None) -> QuerySet:
    qs = plans_started_in(period)
    return plan_rows(qs if cell == "denominator" else qs.filter(REPEAT_EVER))
