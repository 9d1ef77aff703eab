"""Synthetic settings for reporting: population aged 0-17 by year (authority and areas), and the
example benchmark values shipped in reporting/data/benchmarks_example.csv.

The population is set so that the rate of children looked after is like an English authority's
(about 85 per 10,000; England was 70 at 31 March 2024), growing about 0.5% a year, and split
across the areas unevenly (as localities are).
"""

from pathlib import Path

from iro.models import Area
from iro.registry import SyntheticContext
from reporting.models import Population

EXAMPLE_BENCHMARKS = Path(__file__).resolve().parent / "data" / "benchmarks_example.csv"
RATE_PER_10K = 85
SOURCE = "Synthetic mid-year estimate (generate_data)"


def populations(*, in_care: int, first_year: int, last_year: int, areas: list, rng) -> list:
    latest = round(in_care * 10_000 / RATE_PER_10K)
    weights = [rng.uniform(0.6, 1.4) for _ in areas]
    total_weight = sum(weights) or 1
    rows = []
    for year in range(first_year, last_year + 1):
        whole = round(latest * (1.005 ** (year - last_year)))
        rows.append(Population(year=year, area=None, children_0_17=whole, source=SOURCE))
        for area, weight in zip(areas, weights, strict=True):
            rows.append(
                Population(
                    year=year,
                    area=area,
                    children_0_17=round(whole * weight / total_weight),
                    source=SOURCE,
                )
            )
    return rows


def generate(ctx: SyntheticContext) -> None:
    from reporting.management.commands.load_benchmarks import load_benchmarks

    areas = list(Area.objects.order_by("pk"))
    last_year = ctx.today.year
    first_year = last_year - ctx.params["years"] - 1
    Population.objects.filter(year__gte=first_year, year__lte=last_year).delete()
    rows = populations(
        in_care=ctx.params["in_care"],
        first_year=first_year,
        last_year=last_year,
        areas=areas,
        rng=ctx.rng,
    )
    Population.objects.bulk_create(rows)
    created, updated = load_benchmarks(EXAMPLE_BENCHMARKS)
    ctx.log(
        f"  reporting: population 0-17 for {first_year}-{last_year} ({len(rows)} rows), "
        f"{created + updated} example benchmark values"
    )
