"""Reads for the child list and the unallocated list: one queryset each, constant queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat

from iro.age_bands import AGE_BANDS as BANDS
from iro.age_bands import UNBORN, in_band
from iro.models import Allocation, AllocationRequest, AllocationRole, Child, ServiceSettings
from iro.rules import hours_between
from iro.selectors import annotate_status, cp_plan_child_ids, looked_after_episodes_on

# The child list's age filter: the DfE bands, with unborn (iro.age_bands).
AGE_BANDS = {band.code: band.label for band in (UNBORN, *BANDS)}


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
        qs = qs.filter(in_band(age_band, today))
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
