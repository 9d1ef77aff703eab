"""Children on child protection plans (CP-07 to CP-12): on plans on 31 March, plans started and
ended, and the children on plans by sex, ethnicity, age and category of abuse.
"""

from django.db.models import (
    Count,
    Q,
    QuerySet,
)

from iro import codes
from iro.codes import CategoryOfAbuse, Ethnicity, Sex
from protection.models import (
    ProtectionPlan,
)
from reporting.figures.base import Kind, Period, Result, figure, pct, rate_per_10k
from reporting.figures.context import population_0_17
from reporting.figures.protection.common import (
    AGE_BANDS,
    PLAN_COLUMNS,
    age_band_expression,
    keyed,
    plan_rows,
    plans_on,
    plans_on_summary,
)


@figure(
    "CP-07",
    title="Children on child protection plans on 31 March",
    kind=Kind.COUNT,
    section="child_protection",
    unit="children",
    covers="on 31 March",
    better="neither",
)
def on_plans(period: Period) -> Result:
    """Children on a child protection plan at the end of the period (31 March for a year), with
    the rate per 10,000 children aged 0-17."""
    count = plans_on_summary(period)["all"][""]
    population = population_0_17(period)
    return Result(
        value=count,
        numerator=count,
        denominator=population,
        breakdown={"rate per 10,000": rate_per_10k(count, population)},
    )


on_plans.extra["denominator_rows"] = False


@on_plans.rows(columns=PLAN_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    return plan_rows(plans_on(period.end))


@figure(
    "CP-08",
    title="Child protection plans started",
    kind=Kind.COUNT,
    section="child_protection",
    unit="plans",
    better="neither",
)
def plans_started_and_ended(period: Period) -> Result:
    """Plans that started in the period (the value) and plans that ended in it, with the net
    change (started less ended) in the table."""
    row = ProtectionPlan.objects.aggregate(
        started=Count("pk", filter=Q(start__gte=period.start, start__lte=period.end)),
        ended=Count("pk", filter=Q(end__gte=period.start, end__lte=period.end)),
    )
    return Result(
        value=row["started"],
        breakdown={"started": row["started"], "ended": row["ended"]},
        columns=["started", "ended", "net change"],
        table=[[row["started"], row["ended"], row["started"] - row["ended"]]],
    )


@plans_started_and_ended.rows(columns=PLAN_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    if cell == "ended":
        return plan_rows(ProtectionPlan.objects.filter(end__gte=period.start, end__lte=period.end))
    return plan_rows(ProtectionPlan.objects.filter(start__gte=period.start, start__lte=period.end))


SEXES = [s.value for s in Sex if s.value in ("M", "F", "U")]


@figure(
    "CP-09",
    title="Boys among children on plans on 31 March",
    kind=Kind.PCT,
    section="child_protection",
    unit="%",
    covers="on 31 March",
    better="neither",
    labels=codes.Sex,
)
def plans_by_sex(period: Period) -> Result:
    """Children on plans at the end of the period by sex (M, F, U); the value is the
    percentage who are male (unborn children are U until born)."""
    breakdown = keyed(plans_on_summary(period)["sex"], SEXES)
    total = sum(breakdown.values())
    return Result(
        value=pct(breakdown["M"], total),
        numerator=breakdown["M"],
        denominator=total,
        breakdown=breakdown,
    )


@plans_by_sex.rows(columns=PLAN_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = plans_on(period.end)
    if cell is None:
        qs = qs.filter(child__sex="M")
    elif cell in SEXES:
        qs = qs.filter(child__sex=cell)
    return plan_rows(qs)


ETHNICITIES = [e.value for e in Ethnicity if len(e.value) == 4]


@figure(
    "CP-10",
    title="Ethnicity of children on plans on 31 March",
    kind=Kind.COUNT,
    section="child_protection",
    unit="children",
    covers="on 31 March",
    better="neither",
    labels=codes.Ethnicity,
)
def plans_by_ethnicity(period: Period) -> Result:
    """Children on plans at the end of the period by 903 ethnicity code; the value is the
    total, so the percentages are of the children on plans on that day (unlike the seed, whose
    ethnicity totals, 348 / 520 / 484, differ from its own 320 / 469 / 416 children on plans)."""
    breakdown = keyed(plans_on_summary(period)["ethnicity"], ETHNICITIES)
    return Result(value=sum(breakdown.values()), breakdown=breakdown)


@plans_by_ethnicity.rows(columns=PLAN_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = plans_on(period.end)
    if cell in ETHNICITIES:
        qs = qs.filter(child__ethnicity=cell)
    return plan_rows(qs)


@figure(
    "CP-11",
    title="Age of children on plans on 31 March",
    kind=Kind.COUNT,
    section="child_protection",
    unit="children",
    covers="on 31 March",
    better="neither",
)
def plans_by_age(period: Period) -> Result:
    """Children on plans at the end of the period by age on that day: unborn, under 1, 1-4,
    5-9, 10-15, 16+ (DfE bands, with unborn as the CP tables add). The value is the total."""
    breakdown = keyed(plans_on_summary(period)["band"], AGE_BANDS)
    return Result(value=sum(breakdown.values()), breakdown=breakdown)


@plans_by_age.rows(columns=PLAN_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = plans_on(period.end).annotate(_band=age_band_expression(period.end))
    if cell in AGE_BANDS:
        qs = qs.filter(_band=cell)
    return plan_rows(qs)


CATEGORIES = [c.value for c in CategoryOfAbuse]


@figure(
    "CP-12",
    title="Neglect as the category of abuse on 31 March",
    kind=Kind.PCT,
    section="child_protection",
    unit="%",
    covers="on 31 March",
    better="neither",
    labels=codes.CategoryOfAbuse,
)
def plans_by_category(period: Period) -> Result:
    """Children on plans at the end of the period by the plan's latest category of abuse (NEG,
    PHY, SAB, EMO, MUL); the value is the percentage under neglect."""
    breakdown = keyed(plans_on_summary(period)["category"], CATEGORIES)
    total = sum(breakdown.values())
    return Result(
        value=pct(breakdown["NEG"], total),
        numerator=breakdown["NEG"],
        denominator=total,
        breakdown=breakdown,
    )


@plans_by_category.rows(columns=PLAN_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = plans_on(period.end)
    if cell is None:
        qs = qs.filter(latest_category="NEG")
    elif cell in CATEGORIES:
        qs = qs.filter(latest_category=cell)
    return plan_rows(qs)
