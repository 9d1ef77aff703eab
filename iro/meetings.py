"""Booking machinery shared by CLA reviews and CP conferences.

One chair cannot be in two overlapping meetings. Bookings of one chair are serialised by locking
the chair's user row (SELECT ... FOR UPDATE), so two bookings made at the same moment cannot
both pass the clash check. (btree_gist exclusion constraints are not available on the embedded
server, hence the lock.)
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from iro.models import (
    Child,
    Meeting,
    MeetingChange,
    MeetingChangeAction,
    MeetingKind,
    MeetingStatus,
    User,
)

DEFAULT_DURATION = timedelta(minutes=90)


def _lock_chair(chair: User) -> None:
    User.objects.select_for_update().filter(pk=chair.pk).first()


def clashes(*, chair: User, starts_at: datetime, ends_at: datetime, exclude_id: int | None = None):
    """Meetings of `chair` that overlap [starts_at, ends_at): booked ones, and held ones too (a
    chair who held a meeting at that time was not free then); only cancelled ones free a slot."""
    qs = Meeting.objects.filter(chair=chair, starts_at__lt=ends_at, ends_at__gt=starts_at).exclude(
        status=MeetingStatus.CANCELLED
    )
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return qs


def _check_slot(*, chair, starts_at, ends_at, exclude_id=None, field="starts_at") -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("Meeting times must be timezone-aware")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The meeting must end after it starts."})
    clash = clashes(
        chair=chair, starts_at=starts_at, ends_at=ends_at, exclude_id=exclude_id
    ).first()
    if clash is not None:
        local = timezone.localtime(clash.starts_at)
        raise ValidationError(
            {
                field: f"{chair} is already booked for a {clash.get_kind_display().lower()} "
                f"at {local:%H:%M} on {local:%-d %B %Y}. Choose another time."
            }
        )


@transaction.atomic
def meeting_book(
    *,
    kind: MeetingKind,
    chair: User,
    children: list[Child],
    starts_at: datetime,
    ends_at: datetime | None = None,
    venue_type: str,
    venue_detail: str = "",
    booked_by: User | None = None,
) -> Meeting:
    ends_at = ends_at or starts_at + DEFAULT_DURATION
    _lock_chair(chair)
    _check_slot(chair=chair, starts_at=starts_at, ends_at=ends_at)
    meeting = Meeting(
        kind=kind,
        chair=chair,
        starts_at=starts_at,
        ends_at=ends_at,
        venue_type=venue_type,
        venue_detail=venue_detail,
        booked_by=booked_by,
    )
    meeting.full_clean()
    meeting.save()
    meeting.children.set(children)
    return meeting


@transaction.atomic
def meeting_reschedule(
    *,
    meeting: Meeting,
    starts_at: datetime,
    ends_at: datetime | None = None,
    reason: str,
    agreed_by: User | None,
    changed_by: User | None,
    venue_type: str | None = None,
    venue_detail: str | None = None,
    chair: User | None = None,
) -> Meeting:
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for rescheduling."})
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.BOOKED:
        raise ValidationError("Only a booked meeting can be rescheduled.")
    new_chair = chair or meeting.chair
    duration = meeting.ends_at - meeting.starts_at
    ends_at = ends_at or starts_at + duration
    _lock_chair(new_chair)
    _check_slot(chair=new_chair, starts_at=starts_at, ends_at=ends_at, exclude_id=meeting.pk)
    MeetingChange.objects.create(
        meeting=meeting,
        action=MeetingChangeAction.RESCHEDULED,
        previous_starts_at=meeting.starts_at,
        new_starts_at=starts_at,
        reason=reason.strip(),
        agreed_by=agreed_by,
        changed_by=changed_by,
    )
    meeting.chair = new_chair
    meeting.starts_at = starts_at
    meeting.ends_at = ends_at
    if venue_type is not None:
        meeting.venue_type = venue_type
    if venue_detail is not None:
        meeting.venue_detail = venue_detail
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_cancel(
    *, meeting: Meeting, reason: str, changed_by: User | None, agreed_by: User | None = None
) -> Meeting:
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for cancelling."})
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.BOOKED:
        raise ValidationError("Only a booked meeting can be cancelled.")
    MeetingChange.objects.create(
        meeting=meeting,
        action=MeetingChangeAction.CANCELLED,
        previous_starts_at=meeting.starts_at,
        reason=reason.strip(),
        agreed_by=agreed_by,
        changed_by=changed_by,
    )
    meeting.status = MeetingStatus.CANCELLED
    meeting.save(update_fields=["status"])
    return meeting


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting, held_on: date | None = None, by=None) -> Meeting:
    """Mark the meeting held; when it was held on another day than booked, move it to that day.

    The time of day is kept, so the schedule and calendar feed show the day it took place; the
    move is recorded as a change of the meeting.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("A cancelled meeting cannot be recorded as held.")
    meeting.status = MeetingStatus.HELD
    fields = ["status"]
    local_start = timezone.localtime(meeting.starts_at)
    if held_on is not None and local_start.date() != held_on:
        duration = meeting.ends_at - meeting.starts_at
        new_start = timezone.make_aware(datetime.combine(held_on, local_start.time()))
        MeetingChange.objects.create(
            meeting=meeting,
            action=MeetingChangeAction.RESCHEDULED,
            previous_starts_at=meeting.starts_at,
            new_starts_at=new_start,
            reason="Held on a different day from the booking",
            changed_by=by,
        )
        meeting.starts_at = new_start
        meeting.ends_at = new_start + duration
        fields += ["starts_at", "ends_at"]
    meeting.save(update_fields=fields)
    return meeting


def booked_meetings_of(*, child: Child, chair: User, kinds, on: date):
    """Booked meetings of `kinds` for `child` chaired by `chair`, from the start of day `on`."""
    start = timezone.make_aware(datetime.combine(on, datetime.min.time()))
    return (
        Meeting.objects.filter(
            children=child,
            chair=chair,
            kind__in=list(kinds),
            status=MeetingStatus.BOOKED,
            starts_at__gte=start,
        )
        .distinct()
        .order_by("starts_at", "pk")
    )


def meeting_move_to_chair(
    *, meeting: Meeting, chair: User, changed_by: User | None, reason: str
) -> Meeting:
    """Give a booked meeting a new chair at the same time (checked for clashes in the new
    chair's diary), recorded as a change of the meeting with its reason."""
    return meeting_reschedule(
        meeting=meeting,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        reason=reason,
        agreed_by=changed_by,
        changed_by=changed_by,
        chair=chair,
    )


def reallocation_hooks(*, kinds, role: str):
    """The two registry hooks (meetings_to_move, meetings_on_reallocation) for an app whose
    meetings of `kinds` follow the child's IRO in allocation `role`: reviews register the CLA
    review kind for the CLA role, protection the conference kinds for the CP role."""
    from iro.registry import MeetingMove

    def listed(child, allocation_role, iro, on):
        if allocation_role != role:
            return []
        return [
            MeetingMove(meeting_id=m.pk, label=m.get_kind_display(), starts_at=m.starts_at)
            for m in booked_meetings_of(child=child, chair=iro, kinds=kinds, on=on)
        ]

    def move(child, allocation_role, old_iro, new_iro, on, meeting_ids, by):
        moved = []
        for move in listed(child, allocation_role, old_iro, on):
            if meeting_ids is not None and move.meeting_id not in meeting_ids:
                continue
            meeting_move_to_chair(
                meeting=Meeting.objects.get(pk=move.meeting_id),
                chair=new_iro,
                changed_by=by,
                reason=f"Chair changed: the child was reallocated from {old_iro} to {new_iro}.",
            )
            moved.append(move)
        return moved

    # The registry takes a hook once: these two are the same hooks whenever they are made again
    # for the same meeting kinds and role (an AppConfig.ready() that runs twice).
    key = (role, tuple(sorted(str(kind) for kind in kinds)))
    listed.hook_key = ("meetings_to_move", *key)  # type: ignore[attr-defined]
    move.hook_key = ("meetings_on_reallocation", *key)  # type: ignore[attr-defined]
    return listed, move
