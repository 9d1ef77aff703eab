"""Area 1 of FIGURES.md: children in care, population and demographics (CLA-01 to CLA-15)."""

from datetime import date

from django.db.models import Count, QuerySet

from iro.models import Child
from iro.selectors import looked_after_episodes_on
from reporting.figures.base import Kind, Period, Result, figure, rate_per_10k, shared
from reporting.figures.context import population_0_17

CHILD_COLUMNS = (
    ("LA child ID", "la_child_id"),
    ("First name", "first_name"),
    ("Last name", "last_name"),
    ("Date of birth", "date_of_birth"),
)


@shared
def looked_after_ids(day: date) -> QuerySet:
    """Ids of children looked after at the end of `day` (V3/V4 short breaks left out)."""
    return looked_after_episodes_on(day).values("child_id")


@figure(
    "CLA-01",
    title="Children looked after on 31 March",
    kind=Kind.COUNT,
    section="children_in_care",
    unit="children",
    covers="on 31 March",
    better="neither",
)
def looked_after_31_march(period: Period) -> Result:
    """Children looked after at the end of the period (31 March for a year), with the rate per
    10,000 children aged 0-17.

    DfE basis (SSDA903, table A1): a child is counted when an episode is open at the end of the
    day; children whose only episode that day is a short break (legal status V3/V4) are not.
    """
    count = Child.objects.filter(pk__in=looked_after_ids(period.end)).aggregate(n=Count("pk"))["n"]
    population = population_0_17(period)
    return Result(
        value=count,
        numerator=count,
        denominator=population,
        breakdown={"rate per 10,000": rate_per_10k(count, population)},
    )


@looked_after_31_march.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    return Child.objects.filter(pk__in=looked_after_ids(period.end)).order_by("la_child_id")
