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
    meeting_ids: set[int] | None = None,
) -> Allocation:
    """Allocate `iro` to `child` in `role` from `start`; closes any open allocation in that role.

    On a reallocation the child's booked meetings from `start` chaired by the previous IRO in
    that role (reviews for CLA, conferences for CP: registry.meetings_on_reallocation) move to
    the new IRO, all of them or only `meeting_ids`, so both IROs' diaries and calendar feeds
    follow.
    """
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
    if previous is not None:
        from iro.registry import registry

        for move in registry.meetings_on_reallocation:
            move(child, role, previous.iro, iro, start, meeting_ids, by)
    from iro import reminders

    reminders.allocation_changed(allocation=allocation, previous=previous)
    return allocation


@transaction.atomic
def allocations_reallocate(
    *,
    from_iro: User,
    moves: list[tuple[Child, User]],
    reason: str,
    by: User,
    start: date | None = None,
    meeting_ids: set[int] | None = None,
) -> list[Allocation]:
    """Move children from `from_iro` to other IROs as one change (all or nothing).

    Each (child, new IRO) goes through `allocation_allocate` for every role `from_iro` holds
    for the child, so every rule of a single reallocation holds (active IRO, reason, dates) and
    the booked meetings follow (all, or only `meeting_ids`). One access log entry per child
    records who moved them. A bad row stops the whole change with a message naming the child.
    """
    from iro.audit import log_child_access

    start = start or timezone.localdate()
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for the change of IRO."})
    if not moves:
        raise ValidationError({"children": "Select at least one child to reallocate."})
    made: list[Allocation] = []
    for child, to_iro in moves:
        label = f"{child.first_name} {child.last_name} ({child.la_child_id})"
        if to_iro.pk == from_iro.pk:
            raise ValidationError({"to_iro": f"{label}: choose an IRO other than {from_iro}."})
        open_roles = list(
            Allocation.objects.filter(child=child, iro=from_iro, end__isnull=True)
            .order_by("role")
            .values_list("role", flat=True)
        )
        if not open_roles:
            raise ValidationError({"children": f"{label} is no longer allocated to {from_iro}."})
        for role in open_roles:
            try:
                made.append(
                    allocation_allocate(
                        child=child,
                        iro=to_iro,
                        role=role,
                        start=start,
                        reason=reason.strip(),
                        by=by,
                        meeting_ids=meeting_ids,
                    )
                )
            except ValidationError as error:
                messages = "; ".join(error.messages)
                raise ValidationError({"children": f"{label}: {messages}"}) from error
        log_child_access(
            user=by,
            child=child,
            path=f"reallocated from {from_iro} to {to_iro}"[:300],
            action="reallocated",
        )
    return made


@transaction.atomic
def allocation_end(*, allocation: Allocation, end: date, reason: str) -> Allocation:
    """End an open allocation (e.g. the child left care)."""
    allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
    if allocation.end is not None:
        raise ValidationError({"end": "This allocation has already ended."})
    allocation.end = end
    allocation.end_reason = reason
    allocation.full_clean()
    allocation.save()
    allocation_changed.send(sender=Allocation, allocation=allocation)
    return allocation
