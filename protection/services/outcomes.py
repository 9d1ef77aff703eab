"""Recording what a conference decided, for one child."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from iro.meetings import meeting_mark_held
from iro.models import User
from iro.signals import meeting_outcome_recorded
from protection import rules
from protection.models import (
    ChildViews,
    Conference,
    ConferenceKind,
    ConferenceOutcome,
    ConferenceStatus,
    DelayReason,
    PlanEndReason,
    ProtectionPlan,
)
from protection.services.common import lock_conference, save_valid
from protection.services.plans import close_plan, start_plan_from_outcome


@transaction.atomic
def conference_record_outcome(
    *,
    conference: Conference,
    held_on: date,
    outcome: str,
    category: str = "",
    parents_invited: bool | None = None,
    parents_attended: bool | None = None,
    child_attended: bool | None = None,
    child_views: str = "",
    delay_reason: str = "",
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

    Parents who attended were invited; a child who attended gave their views in person (or the
    record says they did not); a delay reason goes only with a conference held after its due date.
    """
    conference = lock_conference(conference)
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
    if parents_attended and parents_invited is False:
        errors["parents_invited"] = (
            "Parents who attended must have been invited: check both answers."
        )
    if child_views and child_views not in ChildViews.values:
        errors["child_views"] = "Choose how the child's views were given."
    elif child_attended is False and child_views == ChildViews.SPOKE:
        errors["child_views"] = (
            "The child did not attend, so their views came another way: choose how."
        )
    if delay_reason:
        if delay_reason not in DelayReason.values:
            errors["delay_reason"] = "Choose why the conference was held after its due date."
        elif "held_on" not in errors and held_on <= conference.due:
            errors["delay_reason"] = (
                "The conference was held by its due date: leave the delay reason empty."
            )
    if errors:
        raise ValidationError(errors)
    conference.status = ConferenceStatus.HELD
    conference.held_on = held_on
    conference.outcome = outcome
    conference.category = category
    conference.parents_invited = parents_invited
    conference.parents_attended = parents_attended
    conference.child_attended = child_attended
    conference.child_views = child_views
    conference.delay_reason = delay_reason
    conference.professionals_attended = professionals_attended
    conference.reports_shared_in_advance = reports_shared_in_advance
    conference.decisions = decisions
    conference.recorded_by = recorded_by
    save_valid(conference)
    if starts_plan:
        start_plan_from_outcome(
            conference=conference, held_on=held_on, category=category, recorded_by=recorded_by
        )
    elif conference.kind == ConferenceKind.RCPC:
        plan = ProtectionPlan.objects.select_for_update().get(pk=conference.plan_id)
        if plan.end is not None:
            raise ValidationError({"outcome": "The plan under review has already ended."})
        if outcome == ConferenceOutcome.CP_PLAN:
            if category:
                plan.latest_category = category
                save_valid(plan)
            save_valid(
                Conference(
                    kind=ConferenceKind.RCPC,
                    child=conference.child,
                    plan=plan,
                    due=rules.next_rcpc_due(held_on),
                )
            )
        else:
            close_plan(plan=plan, end=held_on, reason=PlanEndReason.NO_LONGER_AT_RISK)
    if not conference.meeting.conferences.filter(status=ConferenceStatus.BOOKED).exists():
        meeting_mark_held(meeting=conference.meeting, held_on=held_on)
    meeting_outcome_recorded.send(
        sender=Conference,
        meeting=conference.meeting,
        child=conference.child,
        held_on=held_on,
        parents_invited=parents_invited,
        recorded_by=recorded_by,
    )
    return conference
