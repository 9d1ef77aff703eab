"""The "my IRO" letter, made when a CLA IRO is allocated to a child or changes."""

from __future__ import annotations

from iro.models import Allocation, AllocationRole
from letters.models import MyIroLetter


def letter_for_allocation(allocation: Allocation, previous: Allocation | None, by=None) -> None:
    """The registry's `allocation_made` hook: one letter for each CLA allocation (the child's
    IRO for their reviews; a CP chair is not the child's IRO in this sense), naming the IRO
    who was allocated before in that role, if any. Runs inside allocation_allocate's
    transaction, so the letter exists exactly when the allocation does; a second call for the
    same allocation makes nothing."""
    if allocation.role != AllocationRole.CLA:
        return
    MyIroLetter.objects.get_or_create(
        allocation=allocation,
        defaults={
            "child_id": allocation.child_id,
            "iro_id": allocation.iro_id,
            "previous_iro_id": previous.iro_id if previous is not None else None,
            "from_date": allocation.start,
        },
    )
