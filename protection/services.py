"""Writes of the protection app. Keyword-only, atomic, validated before save.

Plans of one child are serialised by locking the child's row (SELECT ... FOR UPDATE) so two
outcomes recorded at the same moment cannot both start a plan; the partial unique constraint
`one_open_cp_plan` backs this up in the database.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from iro.meetings import meeting_book, meeting_cancel, meeting_mark_held, meeting_reschedule
from iro.models import Allocation, AllocationRole, Child, MeetingKind, MeetingStatus, User
from iro.roles import Role
from protection import rules
from protection.models import (
    OPEN_CONFERENCE_STATUSES,
    Conference,
    ConferenceKind,
    ConferenceOutcome,
    ConferenceStatus,
    CoreGroupMeeting,
    PlanEndReason,
    ProtectionPlan,
    StrategyDiscussion,
)

MEETING_KIND = {
    ConferenceKind.ICPC: MeetingKind.ICPC,
    ConferenceKind.RCPC: MeetingKind.RCPC,
    ConferenceKind.TRANSFER_IN: MeetingKind.TRANSFER_IN,
}


def _lock_child(child: Child) -> Child:
    return Child.objects.select_for_update().get(pk=child.pk)


def _lock_conference(conference: Conference) -> Conference:
    return Conference.objects.select_for_update().get(pk=conference.pk)


def _save(obj) -> None:
    obj.full_clean()
    obj.save()


def _open_plan(child: Child) -> ProtectionPlan | None:
    return ProtectionPlan.objects.filter(child=child, end__isnull=True).first()


def _check_not_in_future(value: date, field: str, today: date | None = None) -> None:
    if value > (today or timezone.localdate()):
        raise ValidationError({field: "The date must be today or in the past."})


@transaction.atomic
def strategy_discussion_record(
    *,
    child: Child,
    held_on: date,
    s47_started: bool,
    s47_started_on: date | None = None,
    notes: str = "",
    recorded_by: User | None = None,
) -> StrategyDiscussion:
    """Record a strategy discussion; when s47 enquiries started there, the ICPC becomes due."""
    child = _lock_child(child)
    _check_not_in_future(held_on, "held_on")
    if s47_started and s47_started_on is None:
        raise ValidationError({"s47_started_on": "Enter the date section 47 enquiries started."})
    if not s47_started and s47_started_on is not None:
        raise ValidationError(
            {"s47_started_on": "Leave the start date empty when enquiries did not start."}
        )
    if s47_started_on is not None and s47_started_on < held_on:
        raise ValidationError(
            {"s47_started_on": "Section 47 enquiries cannot start before the strategy discussion."}
        )
    if s47_started:
        if Conference.objects.filter(
            child=child, kind=ConferenceKind.ICPC, status__in=OPEN_CONFERENCE_STATUSES
        ).exists():
            raise ValidationError(
                {"s47_started": "An initial conference is already due for this child."}
            )
        if _open_plan(child) is not None:
            raise ValidationError(
                {"s47_started": "This child is already on a plan: use a review conference instead."}
            )
    discussion = StrategyDiscussion(
        child=child,
        held_on=held_on,
        s47_started=s47_started,
        s47_started_on=s47_started_on,
        notes=notes,
        recorded_by=recorded_by,
    )
    _save(discussion)
    if s47_started:
        _save(
            Conference(
                kind=ConferenceKind.ICPC,
                child=child,
                strategy_discussion=discussion,
                due=rules.icpc_due(held_on),
                due_dfe=rules.icpc_due_dfe(s47_started_on),
            )
        )
    return discussion


@transaction.atomic
def transfer_in_record(*, child: Child, notified_on: date) -> Conference:
    """A child on another authority's plan moved here: a transfer-in conference becomes due."""
    child = _lock_child(child)
    _check_not_in_future(notified_on, "notified_on")
    if _open_plan(child) is not None:
        raise ValidationError({"notified_on": "This child is already on a plan here."})
    if Conference.objects.filter(
        child=child, kind=ConferenceKind.TRANSFER_IN, status__in=OPEN_CONFERENCE_STATUSES
    ).exists():
        raise ValidationError({"notified_on": "A transfer-in conference is already due."})
    conference = Conference(
        kind=ConferenceKind.TRANSFER_IN,
        child=child,
        notified_on=notified_on,
        due=rules.transfer_in_due(notified_on),
    )
    _save(conference)
    return conference


@transaction.atomic
def conference_book(
    *,
    conferences: list[Conference],
    chair: User,
    starts_at: datetime,
    venue_type: str,
    venue_detail: str = "",
    reason_after_due: str = "",
    booked_by: User | None = None,
):
    """Book one meeting for one child's conference, or for siblings conferenced together."""
    if not conferences:
        raise ValidationError({"conferences": "Choose at least one conference to book."})
    locked = [_lock_conference(c) for c in sorted(conferences, key=lambda c: c.pk)]
    kinds = {c.kind for c in locked}
    if len(kinds) != 1:
        raise ValidationError({"conferences": "Book conferences of one kind together."})
    if any(c.status != ConferenceStatus.DUE for c in locked):
        raise ValidationError({"conferences": "Only a conference that is due can be booked."})
    if not chair.has_role(Role.IRO):
        raise ValidationError({"chair": "The chair must be an IRO."})
    meeting_day = timezone.localdate(starts_at)
    late = [c for c in locked if meeting_day > c.due]
    if late and not reason_after_due.strip():
        raise ValidationError(
            {
                "reason_after_due": "This date is after the conference is due: "
                "give the reason it cannot be held in time."
            }
        )
    meeting = meeting_book(
        kind=MEETING_KIND[ConferenceKind(locked[0].kind)],
        chair=chair,
        children=[c.child for c in locked],
        starts_at=starts_at,
        venue_type=venue_type,
        venue_detail=venue_detail,
        booked_by=booked_by,
    )
    for conference in locked:
        conference.meeting = meeting
        conference.status = ConferenceStatus.BOOKED
        if conference in late:
            conference.reason_after_due = reason_after_due.strip()
        _save(conference)
    return meeting


@transaction.atomic
def conference_reschedule(
    *,
    conference: Conference,
    starts_at: datetime,
    reason: str,
    agreed_by: User | None,
    changed_by: User | None,
    reason_after_due: str = "",
):
    """Move a booked conference. Needs the decision of a head of service (local requirement)."""
    conference = _lock_conference(conference)
    if conference.status != ConferenceStatus.BOOKED:
        raise ValidationError("Only a booked conference can be rescheduled.")
    if agreed_by is None or not agreed_by.has_role(Role.HEAD_OF_SERVICE):
        raise ValidationError(
            {"agreed_by": "Choose the head of service who agreed to the new date."}
        )
    siblings = list(
        Conference.objects.select_for_update()
        .filter(meeting=conference.meeting, status=ConferenceStatus.BOOKED)
        .order_by("pk")
    )
    meeting_day = timezone.localdate(starts_at)
    late = [c for c in siblings if meeting_day > c.due]
    if late and not reason_after_due.strip():
        raise ValidationError(
            {"reason_after_due": "This date is after the conference is due: give the reason."}
        )
    meeting = meeting_reschedule(
        meeting=conference.meeting,
        starts_at=starts_at,
        reason=reason,
        agreed_by=agreed_by,
        changed_by=changed_by,
    )
    for sibling in late:
        sibling.reason_after_due = reason_after_due.strip()
        _save(sibling)
    return meeting


@transaction.atomic
def conference_cancel(
    *, conference: Conference, reason: str, changed_by: User | None
) -> Conference:
    """The conference will not take place. Its meeting is cancelled once no child is left on it."""
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for cancelling."})
    conference = _lock_conference(conference)
    if not conference.is_open:
        raise ValidationError("Only a conference that is due or booked can be cancelled.")
    conference.status = ConferenceStatus.CANCELLED
    conference.cancel_reason = reason.strip()
    _save(conference)
    meeting = conference.meeting
    if (
        meeting is not None
        and meeting.status == MeetingStatus.BOOKED
        and not meeting.conferences.filter(status=ConferenceStatus.BOOKED).exists()
    ):
        meeting_cancel(meeting=meeting, reason=reason, changed_by=changed_by)
    return conference


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


def _plan_start(
    *, conference: Conference, held_on: date, category: str, recorded_by: User | None
) -> ProtectionPlan:
    child = _lock_child(conference.child)
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
    _save(plan)
    _ensure_cp_allocation(child=child, chair=chair, start=held_on, by=recorded_by)
    _save(
        Conference(
            kind=ConferenceKind.RCPC, child=child, plan=plan, due=rules.first_rcpc_due(held_on)
        )
    )
    return plan


@transaction.atomic
def conference_record_outcome(
    *,
    conference: Conference,
    held_on: date,
    outcome: str,
    category: str = "",
    parents_attended: bool | None = None,
    child_attended: bool | None = None,
    professionals_attended: int | None = None,
    reports_shared_in_advance: bool | None = None,
    decisions: str = "",
    recorded_by: User | None = None,
) -> Conference:
    """Record what a conference decided, for one child.

    ICPC or transfer-in: a CP plan starts on the conference date with its category (and the first
    review conference becomes due 3 months on); a CIN plan or no further action starts nothing.
    Review: a CP plan outcome continues the plan (next review due 6 months after this one); CIN
    plan or NFA ends the plan on the conference date (no longer at risk).
    """
    conference = _lock_conference(conference)
    errors = {}
    if conference.status != ConferenceStatus.BOOKED:
        raise ValidationError("Only a booked conference can have its outcome recorded.")
    if outcome not in ConferenceOutcome.values:
        errors["outcome"] = "Choose the outcome of the conference."
    if held_on > timezone.localdate():
        errors["held_on"] = "The conference date must be today or in the past."
    elif conference.kind == ConferenceKind.RCPC and held_on < conference.plan.start:
        errors["held_on"] = "A review conference cannot be held before the plan started."
    elif conference.strategy_discussion_id and held_on < conference.strategy_discussion.held_on:
        errors["held_on"] = "The conference cannot be before the strategy discussion."
    elif conference.notified_on and held_on < conference.notified_on:
        errors["held_on"] = "The conference cannot be before the authority was notified."
    starts_plan = conference.kind != ConferenceKind.RCPC and outcome == ConferenceOutcome.CP_PLAN
    if starts_plan and not category:
        errors["category"] = "Choose the category of abuse for the plan."
    if category and outcome != ConferenceOutcome.CP_PLAN:
        errors["category"] = "A category of abuse is only recorded with a child protection plan."
    if errors:
        raise ValidationError(errors)
    conference.status = ConferenceStatus.HELD
    conference.held_on = held_on
    conference.outcome = outcome
    conference.category = category
    conference.parents_attended = parents_attended
    conference.child_attended = child_attended
    conference.professionals_attended = professionals_attended
    conference.reports_shared_in_advance = reports_shared_in_advance
    conference.decisions = decisions
    conference.recorded_by = recorded_by
    _save(conference)
    if starts_plan:
        _plan_start(
            conference=conference, held_on=held_on, category=category, recorded_by=recorded_by
        )
    elif conference.kind == ConferenceKind.RCPC:
        plan = ProtectionPlan.objects.select_for_update().get(pk=conference.plan_id)
        if plan.end is not None:
            raise ValidationError({"outcome": "The plan under review has already ended."})
        if outcome == ConferenceOutcome.CP_PLAN:
            if category:
                plan.latest_category = category
                _save(plan)
            _save(
                Conference(
                    kind=ConferenceKind.RCPC,
                    child=conference.child,
                    plan=plan,
                    due=rules.next_rcpc_due(held_on),
                )
            )
        else:
            _plan_close(plan=plan, end=held_on, reason=PlanEndReason.NO_LONGER_AT_RISK)
    if not conference.meeting.conferences.filter(status=ConferenceStatus.BOOKED).exists():
        meeting_mark_held(meeting=conference.meeting)
    return conference


def _plan_close(*, plan: ProtectionPlan, end: date, reason: str, by: User | None = None) -> None:
    if end < plan.start:
        raise ValidationError({"end": "The plan cannot end before it started."})
    plan.end = end
    plan.end_reason = reason
    _save(plan)
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
    _lock_child(plan.child)
    plan = ProtectionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.end is not None:
        raise ValidationError("This plan has already ended.")
    if reason not in PlanEndReason.values:
        raise ValidationError({"reason": "Choose why the plan ended."})
    _check_not_in_future(end, "end")
    _plan_close(plan=plan, end=end, reason=reason, by=ended_by)
    return plan


@transaction.atomic
def plan_change_category(*, plan: ProtectionPlan, category: str) -> ProtectionPlan:
    plan = ProtectionPlan.objects.select_for_update().get(pk=plan.pk)
    plan.latest_category = category
    _save(plan)
    return plan


@transaction.atomic
def core_group_record(
    *, plan: ProtectionPlan, held_on: date, notes: str = "", recorded_by: User | None = None
) -> CoreGroupMeeting:
    """Record a core group meeting held under a plan."""
    plan = ProtectionPlan.objects.select_for_update().get(pk=plan.pk)
    _check_not_in_future(held_on, "held_on")
    if held_on < plan.start:
        raise ValidationError({"held_on": "A core group cannot meet before the plan started."})
    if plan.end is not None and held_on > plan.end:
        raise ValidationError({"held_on": "A core group cannot meet after the plan ended."})
    if plan.core_groups.filter(held_on=held_on).exists():
        raise ValidationError({"held_on": "A core group meeting is already recorded on that day."})
    meeting = CoreGroupMeeting(plan=plan, held_on=held_on, notes=notes, recorded_by=recorded_by)
    _save(meeting)
    return meeting
