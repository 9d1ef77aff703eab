"""Strategy discussions, transfer-ins and conference bookings."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from iro import date_bounds
from iro.meetings import meeting_book, meeting_cancel, meeting_reschedule
from iro.models import Child, MeetingStatus, User
from iro.roles import Role
from protection import rules
from protection.models import (
    OPEN_CONFERENCE_STATUSES,
    Conference,
    ConferenceKind,
    ConferenceStatus,
    StrategyDiscussion,
)
from protection.services.common import (
    MEETING_KIND,
    check_not_in_future,
    lock_child,
    lock_conference,
    open_plan,
    save_valid,
)


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
    child = lock_child(child)
    check_not_in_future(held_on, "held_on")
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
        if open_plan(child) is not None:
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
    save_valid(discussion)
    if s47_started:
        save_valid(
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
    child = lock_child(child)
    check_not_in_future(notified_on, "notified_on")
    if open_plan(child) is not None:
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
    save_valid(conference)
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
    locked = [lock_conference(c) for c in sorted(conferences, key=lambda c: c.pk)]
    kinds = {c.kind for c in locked}
    if len(kinds) != 1:
        raise ValidationError({"conferences": "Book conferences of one kind together."})
    if any(c.status != ConferenceStatus.DUE for c in locked):
        raise ValidationError({"conferences": "Only a conference that is due can be booked."})
    if not chair.has_role(Role.IRO):
        raise ValidationError({"chair": "The chair must be an IRO."})
    meeting_day = timezone.localdate(starts_at)
    date_bounds.booking_day("starts_at", meeting_day, timezone.localdate(), "The conference date")
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
        save_valid(conference)
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
    conference = lock_conference(conference)
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
    date_bounds.booking_day("starts_at", meeting_day, timezone.localdate(), "The conference date")
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
        save_valid(sibling)
    return meeting


@transaction.atomic
def conference_cancel(
    *, conference: Conference, reason: str, changed_by: User | None
) -> Conference:
    """The conference will not take place. Its meeting is cancelled once no child is left on it."""
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for cancelling."})
    conference = lock_conference(conference)
    if not conference.is_open:
        raise ValidationError("Only a conference that is due or booked can be cancelled.")
    conference.status = ConferenceStatus.CANCELLED
    conference.cancel_reason = reason.strip()
    save_valid(conference)
    meeting = conference.meeting
    if (
        meeting is not None
        and meeting.status == MeetingStatus.BOOKED
        and not meeting.conferences.filter(status=ConferenceStatus.BOOKED).exists()
    ):
        meeting_cancel(meeting=meeting, reason=reason, changed_by=changed_by)
    return conference
