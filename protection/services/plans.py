"""Plans: start (from a conference outcome), end, category changes, core groups.

Plans of one child are serialised by locking the child's row (SELECT ... FOR UPDATE), so two
outcomes recorded at the same moment cannot both start a plan; the partial unique constraint
`one_open_cp_plan` backs this up in the database.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from iro.models import Allocation, AllocationRole, Child, User
from protection import rules
from protection.models import (
    OPEN_CONFERENCE_STATUSES,
    Conference,
    ConferenceKind,
    CoreGroupMeeting,
    PlanEndReason,
    ProtectionPlan,
)
from protection.services.common import check_not_in_future, lock_child, save_valid
from protection.services.conferences import conference_cancel


def _ensure_cp_allocation(*, child: Child, chair: User, start: date, by: User | None) -> None:
    current = Allocation.objects.filter(child=child, role=AllocationRole.CP, end__isnull=True)
    if current.filter(iro=chair).exists():
        return
    for allocation in current.select_for_update():
        allocation.end = max(start, allocation.start)
        allocation.end_reason = "Another IRO chairs the child protection plan"
        allocation.full_clean()
        allocation.save()
    allocation = Allocation(
        child=child,
        iro=chair,
        role=AllocationRole.CP,
        start=start,
        reason="Chair of the initial child protection conference",
        allocated_by=by,
    )
    allocation.full_clean()
    allocation.save()


def start_plan_from_outcome(
    *, conference: Conference, held_on: date, category: str, recorded_by: User | None
) -> ProtectionPlan:
    child = lock_child(conference.child)
    overlapping = ProtectionPlan.objects.filter(child=child).exclude(end__lte=held_on)
    if overlapping.exists():
        raise ValidationError(
            {"outcome": "This child is already on a plan covering that date: plans cannot overlap."}
        )
    previous = ProtectionPlan.objects.filter(child=child, start__lt=held_on).count()
    chair = conference.meeting.chair
    plan = ProtectionPlan(
        child=child,
        start=held_on,
        initial_category=category,
        latest_category=category,
        previous_plans=previous,
        chair=chair,
        starting_conference=conference,
        first_core_group_due=rules.first_core_group_due(held_on),
    )
    save_valid(plan)
    _ensure_cp_allocation(child=child, chair=chair, start=held_on, by=recorded_by)
    save_valid(
        Conference(
            kind=ConferenceKind.RCPC, child=child, plan=plan, due=rules.first_rcpc_due(held_on)
        )
    )
    return plan


def close_plan(*, plan: ProtectionPlan, end: date, reason: str, by: User | None = None) -> None:
    if end < plan.start:
        raise ValidationError({"end": "The plan cannot end before it started."})
    plan.end = end
    plan.end_reason = reason
    save_valid(plan)
    for review in Conference.objects.select_for_update().filter(
        plan=plan, status__in=OPEN_CONFERENCE_STATUSES
    ):
        conference_cancel(
            conference=review, reason="The child protection plan ended.", changed_by=by
        )
    for allocation in Allocation.objects.select_for_update().filter(
        child_id=plan.child_id, role=AllocationRole.CP, end__isnull=True
    ):
        allocation.end = max(end, allocation.start)
        allocation.end_reason = "Child protection plan ended"
        allocation.full_clean()
        allocation.save()


@transaction.atomic
def plan_end(
    *, plan: ProtectionPlan, end: date, reason: str, ended_by: User | None = None
) -> ProtectionPlan:
    """End a plan with its reason; the next review conference is cancelled."""
    lock_child(plan.child)
    plan = ProtectionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.end is not None:
        raise ValidationError("This plan has already ended.")
    if reason not in PlanEndReason.values:
        raise ValidationError({"reason": "Choose why the plan ended."})
    check_not_in_future(end, "end")
    close_plan(plan=plan, end=end, reason=reason, by=ended_by)
    return plan


@transaction.atomic
def plan_change_category(*, plan: ProtectionPlan, category: str) -> ProtectionPlan:
    plan = ProtectionPlan.objects.select_for_update().get(pk=plan.pk)
    plan.latest_category = category
    save_valid(plan)
    return plan


@transaction.atomic
def core_group_record(
    *, plan: ProtectionPlan, held_on: date, notes: str = "", recorded_by: User | None = None
) -> CoreGroupMeeting:
    """Record a core group meeting held under a plan."""
    plan = ProtectionPlan.objects.select_for_update().get(pk=plan.pk)
    check_not_in_future(held_on, "held_on")
    if held_on < plan.start:
        raise ValidationError({"held_on": "A core group cannot meet before the plan started."})
    if plan.end is not None and held_on > plan.end:
        raise ValidationError({"held_on": "A core group cannot meet after the plan ended."})
    if plan.core_groups.filter(held_on=held_on).exists():
        raise ValidationError({"held_on": "A core group meeting is already recorded on that day."})
    meeting = CoreGroupMeeting(plan=plan, held_on=held_on, notes=notes, recorded_by=recorded_by)
    save_valid(meeting)
    return meeting
