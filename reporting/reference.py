"""Checks of the reference data the figures read (benchmarks, targets, population estimates),
shared by the models (so the admin's forms refuse the same values) and `load_benchmarks`.

A figure id must be one the figure library computes (reporting.figures.REGISTRY); a benchmark or
target is in the figure's unit: a percentage (kind PCT) is 0-100, a rate per 10,000 (RATE) is
0-10,000, and no figure the service computes is negative. Years are within the service's
reporting span (iro.validators.reporting_years, from settings.REPORTING_FIRST_YEAR).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError

# The largest value a benchmark or target may take in any unit: more than the children looked
# after in England (about 84,000 on 31 March 2024, DfE), with room for a count of records.
LARGEST_VALUE = Decimal("10000000")
# Children aged 0-17 in one authority: the largest English authority has about 350,000; England
# about 12 million.
LARGEST_POPULATION = 2_000_000


def known_figure(figure_id: str):
    # The registry is filled when the reporting app is ready (ReportingConfig.ready imports every
    # figure module); importing the figures here would make models depend on them in a circle.
    from reporting.figures.base import REGISTRY

    return REGISTRY.get(figure_id)


def validate_figure_id(value: str) -> None:
    if value and known_figure(value) is None:
        raise ValidationError(
            f"{value} is not a figure the service computes: use an id such as CLA-03",
            code="unknown_figure",
        )


def value_range(figure_id: str) -> tuple[Decimal, Decimal, str]:
    """The lowest and highest value a figure's benchmark or target may take, and its unit."""
    from reporting.figures.base import Kind

    figure = known_figure(figure_id)
    kind = figure.kind if figure else None
    if kind == Kind.PCT:
        return Decimal(0), Decimal(100), "a percentage"
    if kind == Kind.RATE:
        return Decimal(0), Decimal(10000), "a rate per 10,000"
    return Decimal(0), LARGEST_VALUE, "a number"


def check_value(figure_id: str, value: Decimal | None, what: str = "The value") -> str | None:
    """The reason `value` is out of range for the figure, or None."""
    if value is None or known_figure(figure_id) is None:
        return None
    low, high, unit = value_range(figure_id)
    if not low <= value <= high:
        return f"{what} for {figure_id} is {unit}: it must be between {low:,} and {high:,}"
    return None
