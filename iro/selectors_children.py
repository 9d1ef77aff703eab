"""Reads for the child list and the unallocated list: one queryset each, constant queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat

from iro.models import Allocation, AllocationRequest, AllocationRole, Child, ServiceSettings
from iro.rules import add_months, hours_between
from iro.selectors import annotate_status, cp_plan_child_ids, looked_after_episodes_on

AGE_BANDS = {
    "unborn": "Unborn",
    "0": "Under 1",
    "1-4": "1 to 4",
    "5-9": "5 to 9",
    "10-15": "10 to 15",
    "16-17": "16 and 17",
    "18+": "18 and over",
}


# Whole years of age in each band but the open-ended ones: [low, high).
_BAND_YEARS = {"0": (0, 1), "1-4": (1, 5), "5-9": (5, 10), "10-15": (10, 16), "16-17": (16, 18)}


def age_band_filter(band: str, today: date) -> Q:
    """Children whose age on `today` falls in `band` (Birmingham report table 4 bands)."""
    if band == "unborn":
        return Q(date_of_birth__isnull=True)

    def born_by(years: int) -> date:  # aged at least `years` on today
        return add_months(today, -12 * years)

    ranges = _BAND_YEARS
    if band == "18+":
        return Q(date_of_birth__lte=born_by(18))
    low, high = ranges[band]
    return Q(date_of_birth__lte=born_by(low), date_of_birth__gt=born_by(high))


def age_band(date_of_birth: date | None, on: date) -> str:
    """The key in AGE_BANDS of a child born on `date_of_birth` on the day `on`: the same bands
    and boundaries as `age_band_filter` (a child is in a band from the birthday that starts it)."""
    if date_of_birth is None or date_of_birth > on:
        return "unborn"
    for band, (_low, high) in _BAND_YEARS.items():
        if date_of_birth > add_months(on, -12 * high):
            return band
    return "18+"


def _iro_name(role: str):
    open_allocation = Allocation.objects.filter(child=OuterRef("pk"), role=role, end__isnull=True)
    return Subquery(
        open_allocation.annotate(
            name=Concat("iro__first_name", Value(" "), "iro__last_name")
        ).values("name")[:1]
    )


def child_list(
    visible: QuerySet[Child],
    *,
    today: date,
    q: str = "",
    iro=None,
    status: str = "",
    area=None,
    age_band: str = "",
) -> QuerySet[Child]:
    """The child list: search by name or id, filter by IRO, status today, area, age band."""
    qs = visible.select_related("area")
    if q:
        for word in q.split():
            qs = qs.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(la_child_id__icontains=word)
                | Q(upn__iexact=word)
            )
    if iro:
        qs = qs.filter(allocations__iro=iro, allocations__end__isnull=True).distinct()
    if area:
        qs = qs.filter(area=area)
    if age_band in AGE_BANDS:
        qs = qs.filter(age_band_filter(age_band, today))
    qs = annotate_status(qs, today).annotate(
        cla_iro=_iro_name(AllocationRole.CLA), cp_chair=_iro_name(AllocationRole.CP)
    )
    looked_after = Q(Exists(looked_after_episodes_on(today).filter(child=OuterRef("pk"))))
    on_plan = Q(pk__in=cp_plan_child_ids(today))
    if status == "looked_after":
        qs = qs.filter(looked_after & ~on_plan)
    elif status == "cp_plan":
        qs = qs.filter(~looked_after & on_plan)
    elif status == "dual":
        qs = qs.filter(looked_after & on_plan)
    elif status == "neither":
        qs = qs.filter(~looked_after & ~on_plan)
    return qs.order_by("last_name", "first_name", "la_child_id")


@dataclass(frozen=True)
class WaitingRequest:
    request: AllocationRequest
    hours: float
    overdue: bool


def unallocated(visible: QuerySet[Child], *, now: datetime) -> list[WaitingRequest]:
    """Open allocation requests, oldest first, with hours since the service was notified.

    Overdue: more hours than ServiceSettings.allocation_target_hours (72 by default). Two queries.
    """
    target = ServiceSettings.load().allocation_target_hours
    requests = (
        AllocationRequest.objects.filter(fulfilled_at__isnull=True, child__in=visible)
        .select_related("child", "child__area")
        .order_by("notified_at")
    )
    rows = []
    for request in requests:
        hours = hours_between(request.notified_at, now)
        rows.append(WaitingRequest(request, round(hours, 1), hours > target))
    return rows
