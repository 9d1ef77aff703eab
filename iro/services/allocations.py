"""Allocation writes: allocate or reallocate an IRO, end an allocation, an IRO leaving.

One open allocation per child and role (also a partial unique constraint). Reallocation closes the
open allocation with an end date and reason, so the history stays. The child row is locked so two
managers allocating at once cannot both pass the checks.

No allocation starts after its IRO's last day in post (iro.StaffRecord: the latest ``valid_to``
when no record is open): allocation_allocate refuses it (validate_iro_in_post, which the SSDA903
import and any other path that writes allocations call too), and staff_leave, which records the
last day, ends or hands over every allocation the IRO still holds. So the caseload figures
(IRO-01, IRO-02) never meet a child allocated to someone who has left.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from iro import date_bounds
from iro.models import Allocation, AllocationRequest, Child, StaffRecord, User
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
    validate_iro_in_post(iro=iro, on=start)
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
    from iro.registry import registry

    if previous is not None:
        for move in registry.meetings_on_reallocation:
            move(child, role, previous.iro, iro, start, meeting_ids, by)
    for made in registry.allocation_made:
        made(allocation, previous, by)
    from iro import reminders

    reminders.allocation_changed(allocation=allocation, previous=previous)
    return allocation


def iro_last_day(iro: User) -> date | None:
    """The IRO's last day in post: the latest ``valid_to`` of their employment records when none
    is open; None while a record is open, or when they have no records (counted as in post while
    their account is active)."""
    records = StaffRecord.objects.filter(user=iro)
    if not records.exists() or records.filter(valid_to__isnull=True).exists():
        return None
    return records.order_by("-valid_to").values_list("valid_to", flat=True).first()


def validate_iro_in_post(*, iro: User, on: date, field: str = "iro") -> None:
    """Refuses an allocation to `iro` that starts on `on` after their last day in post.

    For every path that writes allocations: allocation_allocate (the pages and the API), the
    SSDA903 import and the data generator. Raises ValidationError naming `field`."""
    last_day = iro_last_day(iro)
    if last_day is not None and on > last_day:
        raise ValidationError(
            {
                field: f"{iro} left on {last_day:%-d %B %Y}: an allocation cannot start after an "
                "IRO's last day. Choose an IRO in post."
            }
        )


LEFT_REASON = "IRO left the service"


@transaction.atomic
def staff_leave(
    *,
    user: User,
    last_day: date,
    reason: str = "",
    handover_to: User | None = None,
    by: User | None = None,
) -> list[Allocation]:
    """Records an IRO's last day in post and ends or hands over every allocation they hold.

    Closes the open employment record on `last_day` (``valid_to``, with `reason` as the left
    reason); `last_day` is today or earlier (the leaving is recorded once it is known to have
    happened, so a handover never starts in the future). Every allocation the IRO still holds on
    `last_day` (open, or ending after it) changes hands on that day, as a reallocation does
    (iro.selectors_caseload: the allocation open on a day is the one that starts on or before it
    and ends after it): with `handover_to`, allocation_allocate reallocates the child to that IRO
    from `last_day` (and tells both IROs); with no one named, the allocation ends on `last_day`
    and the child goes back on the list of children waiting for an IRO (an AllocationRequest,
    which the 72-hour rule chases). The manager of the IRO's team (every team manager when it has
    none) is told how many children were handed over or need an IRO. Returns those allocations.
    """
    from iro import reminders

    today = timezone.localdate()
    if last_day > today:
        raise ValidationError(
            {"last_day": "Record the leaving date on or after the IRO's last day, not before."}
        )
    open_record = (
        StaffRecord.objects.select_for_update().filter(user=user, valid_to__isnull=True).first()
    )
    if open_record is None:
        raise ValidationError(
            {"user": f"{user} has no open employment record: their leaving date is already set."}
        )
    if last_day < open_record.valid_from:
        raise ValidationError(
            {"last_day": "The last day cannot be before the current employment record started."}
        )
    if handover_to is not None:
        if handover_to.pk == user.pk:
            raise ValidationError({"handover_to": "Choose another IRO to hand the children to."})
        if not handover_to.is_active or not handover_to.has_role(Role.IRO):
            raise ValidationError({"handover_to": "Choose an active IRO."})
        validate_iro_in_post(iro=handover_to, on=last_day, field="handover_to")
    held = Allocation.objects.select_for_update().filter(
        Q(end__isnull=True) | Q(end__gt=last_day), iro=user
    )
    if held.filter(start__gt=last_day).exists():
        raise ValidationError(
            {
                "last_day": "Some of this IRO's allocations start after that day: reallocate "
                "them first."
            }
        )
    open_record.valid_to = last_day
    open_record.left_reason = reason or open_record.left_reason
    open_record.full_clean()
    open_record.save()
    moved: list[Allocation] = []
    for allocation in held.select_related("child").order_by("child_id", "role"):
        handing_over = handover_to is not None and allocation.end is None
        # A handover reallocates from the last day (allocation_allocate ends the old one); an
        # allocation that started on the last day itself is ended here and the successor takes
        # it whole. Without a handover the allocation ends and an open one goes back on the list
        # of children waiting for an IRO.
        if not (handing_over and allocation.start < last_day):
            was_open = allocation.end is None
            allocation.end = last_day
            allocation.end_reason = LEFT_REASON
            allocation.full_clean()
            allocation.save()
            allocation_changed.send(sender=Allocation, allocation=allocation)
            if not handing_over and was_open:
                AllocationRequest.objects.get_or_create(
                    child=allocation.child,
                    role=allocation.role,
                    fulfilled_at__isnull=True,
                    defaults={"notified_at": timezone.now()},
                )
        if handing_over:
            allocation_allocate(
                child=allocation.child,
                iro=handover_to,  # type: ignore[arg-type]
                role=allocation.role,
                start=last_day,
                reason=LEFT_REASON,
                by=by,
            )
        moved.append(allocation)
    reminders.iro_left(iro=user, last_day=last_day, count=len(moved), handover_to=handover_to)
    return moved


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
