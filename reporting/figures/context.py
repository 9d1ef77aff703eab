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
        Population.objects.filter(year__lte=period.end.year, area_id=area_id)
        .order_by("-year")
        .values_list("children_0_17", flat=True)
        .first()
    )
    if row is None and area_id is None:
        row = ServiceSettings.load().population_0_17
    return row


def target_for(figure) -> Decimal | None:
    """The figure's target: the local setting when there is one, else its definition's."""
    from reporting.models import Target

    local = Target.objects.filter(figure_id=figure.id).values_list("value", flat=True).first()
    if local is not None:
        return local
    return Decimal(str(figure.target)) if figure.target is not None else None
