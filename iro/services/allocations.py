"""Allocation writes: allocate or reallocate an IRO, end an allocation.

One open allocation per child and role (also a partial unique constraint). Reallocation closes the
open allocation with an end date and reason, so the history stays. The child row is locked so two
managers allocating at once cannot both pass the checks.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from iro import date_bounds
from iro.models import Allocation, AllocationRequest, Child, User
from iro.roles import Role
from iro.signals import allocation_changed


@transaction.atomic
def allocation_allocate(
    *,
    child: Child,
    iro: User,
    role: str,
    start: date | None = None,
    reason: str = "",
    by: User | None = None,
) -> Allocation:
    """Allocate `iro` to `child` in `role` from `start`; closes any open allocation in that role."""
    start = start or timezone.localdate()
    Child.objects.select_for_update().get(pk=child.pk)
    date_bounds.allocation_start(child, start, timezone.localdate())
    if not iro.is_active or not iro.has_role(Role.IRO):
        raise ValidationError({"iro": "Choose an active IRO."})
    current = (
        Allocation.objects.select_for_update()
        .filter(child=child, role=role, end__isnull=True)
        .first()
    )
    previous = current
    if current is not None:
        if current.iro_id == iro.pk:
            raise ValidationError({"iro": f"{iro} is already allocated to this child."})
        if start < current.start:
            raise ValidationError(
                {"start": "A reallocation cannot start before the current allocation started."}
            )
        if not reason:
            raise ValidationError({"reason": "Enter the reason for the change of IRO."})
        current.end = start
        current.end_reason = reason
        current.full_clean()
        current.save()
        allocation_changed.send(sender=Allocation, allocation=current)
    allocation = Allocation(
        child=child, iro=iro, role=role, start=start, reason=reason, allocated_by=by
    )
    allocation.full_clean()
    allocation.save()
    AllocationRequest.objects.filter(child=child, role=role, fulfilled_at__isnull=True).update(
        allocation=allocation, fulfilled_at=timezone.now()
    )
    allocation_changed.send(sender=Allocation, allocation=allocation)
    from iro import reminders

    reminders.allocation_changed(allocation=allocation, previous=previous)
    return allocation
