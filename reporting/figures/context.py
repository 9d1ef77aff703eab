"""Settings and imported values that figures read: population, targets, benchmarks."""

from decimal import Decimal

from reporting.figures.base import Period, shared


@shared
def population_0_17(period: Period, area_id: int | None = None) -> int | None:
    """Children aged 0-17 for rates in `period`: the latest mid-year estimate for a year no later
    than the one the period ends in; failing that, the service settings' single figure."""
    from iro.models import ServiceSettings
    from reporting.models import Population

    row = (
        Population.objects.filter(year__lte=period.end.year, area_id=area_id)  # type: ignore[misc]  # None: the whole authority
        .order_by("-year")
        .values_list("children_0_17", flat=True)
        .first()
    )
    if row is None and area_id is None:
        row = ServiceSettings.load().population_0_17
    return row


@shared
def area_populations(period: Period) -> list[tuple[int, str, int | None]]:
    """(area id, name, children aged 0-17) for every area, by name: each area's latest estimate
    for a year no later than the one the period ends in (None where none is held). One query."""
    from django.db.models import OuterRef, Subquery

    from iro.models import Area
    from reporting.models import Population

    latest = (
        Population.objects.filter(area=OuterRef("pk"), year__lte=period.end.year)
        .order_by("-year")
        .values("children_0_17")[:1]
    )
    return list(
        Area.objects.annotate(children_0_17=Subquery(latest))
        .order_by("name")
        .values_list("pk", "name", "children_0_17")
    )


def target_for(figure) -> Decimal | None:
    """The figure's target: the local setting when there is one, else its definition's."""
    from reporting.models import Target

    local = Target.objects.filter(figure_id=figure.id).values_list("value", flat=True).first()
    if local is not None:
        return local
    return Decimal(str(figure.target)) if figure.target is not None else None


@shared
def benchmarks(figure_id: str, period: Period) -> dict[str, float]:
    """The loaded benchmark values (reporting.Benchmark) of `figure_id` for the reporting year
    `period` starts in, by scope in the order england, region, neighbours: e.g.
    ``{"england": 70.0, "region": 88.0}``. Empty when none are loaded."""
    from reporting.models import Benchmark, BenchmarkScope

    year = period.start.year if period.start.month >= 4 else period.start.year - 1
    rows = dict(
        Benchmark.objects.filter(figure_id=figure_id, year=year).values_list("scope", "value")
    )
    return {scope: float(rows[scope]) for scope in BenchmarkScope.values if scope in rows}


def benchmark_rows(figure_id: str, period: Period) -> list[dict]:
    """Benchmarks with their source, for showing beside a figure: scope, label, value, source."""
    from reporting.models import Benchmark, BenchmarkScope

    year = period.start.year if period.start.month >= 4 else period.start.year - 1
    labels = dict(BenchmarkScope.choices)
    order = {scope: i for i, scope in enumerate(BenchmarkScope.values)}
    rows = Benchmark.objects.filter(figure_id=figure_id, year=year).values(
        "scope", "value", "source"
    )
    return sorted(
        (
            {
                "scope": r["scope"],
                "label": labels[r["scope"]],
                "value": float(r["value"]),
                "source": r["source"],
            }
            for r in rows
        ),
        key=lambda r: order[r["scope"]],
    )
