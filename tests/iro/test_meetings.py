"""Shared booking machinery: a chair cannot be double-booked, even by simultaneous bookings."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from iro.meetings import meeting_book, meeting_cancel, meeting_reschedule
from iro.models import Meeting, MeetingChange, MeetingKind, MeetingStatus
from iro.roles import Role
from tests.iro.factories import ChildFactory, make_user

LONDON = ZoneInfo("Europe/London")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def chair(db):
    return make_user(Role.IRO, username="chair")


@pytest.mark.django_db
def test_overlapping_booking_for_the_same_chair_is_refused(chair):
    child_a, child_b = ChildFactory(), ChildFactory()
    meeting_book(
        kind=MeetingKind.CLA_REVIEW,
        chair=chair,
        children=[child_a],
        starts_at=at(7, 10),
        venue_type="office",
    )
    with pytest.raises(ValidationError) as excinfo:
        meeting_book(
            kind=MeetingKind.ICPC,
            chair=chair,
            children=[child_b],
            starts_at=at(7, 11),
            venue_type="virtual",
        )
    assert "already booked" in str(excinfo.value.message_dict["starts_at"])
    assert Meeting.objects.count() == 1


@pytest.mark.django_db
def test_back_to_back_meetings_and_other_chairs_are_allowed(chair):
    other = make_user(Role.IRO, username="other-chair")
    child = ChildFactory()
    meeting_book(
        kind=MeetingKind.CLA_REVIEW,
        chair=chair,
        children=[child],
        starts_at=at(7, 10),
        venue_type="office",
    )
    meeting_book(
        kind=MeetingKind.CLA_REVIEW,
        chair=chair,
        children=[child],
        starts_at=at(7, 11, 30),
        venue_type="office",
    )
    meeting_book(
        kind=MeetingKind.CLA_REVIEW,
        chair=other,
        children=[child],
        starts_at=at(7, 10),
        venue_type="office",
    )
    assert Meeting.objects.count() == 3


@pytest.mark.django_db
def test_a_held_meeting_keeps_its_slot(chair):
    """Found by the load test: a meeting booked and held at once no longer blocked its slot, so a
    second booking for the same chair at the same time went through."""
    child_a, child_b = ChildFactory(), ChildFactory()
    meeting = meeting_book(
        kind=MeetingKind.CLA_REVIEW,
        chair=chair,
        children=[child_a],
        starts_at=at(9, 10),
        venue_type="office",
    )
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    with pytest.raises(ValidationError) as excinfo:
        meeting_book(
            kind=MeetingKind.CLA_REVIEW,
            chair=chair,
            children=[child_b],
            starts_at=at(9, 10, 30),
            venue_type="office",
        )
    assert "already booked" in str(excinfo.value.message_dict["starts_at"])
    assert Meeting.objects.count() == 1


@pytest.mark.django_db
def test_a_cancelled_meeting_frees_its_slot(chair):
    child = ChildFactory()
    meeting = meeting_book(
        kind=MeetingKind.CLA_REVIEW,
        chair=chair,
        children=[child],
        starts_at=at(8, 10),
        venue_type="office",
    )
    meeting_cancel(meeting=meeting, reason="Child unwell", changed_by=chair)
    meeting_book(
        kind=MeetingKind.CLA_REVIEW,
        chair=chair,
        children=[child],
        starts_at=at(8, 10),
        venue_type="office",
    )
    assert Meeting.objects.filter(status=MeetingStatus.BOOKED).count() == 1
    assert MeetingChange.objects.get().reason == "Child unwell"


@pytest.mark.django_db
def test_rescheduling_needs_a_reason_and_keeps_the_history(chair):
    manager = make_user(Role.TEAM_MANAGER, username="mgr")
    child = ChildFactory()
    meeting = meeting_book(
        kind=MeetingKind.CLA_REVIEW,
        chair=chair,
        children=[child],
        starts_at=at(9, 10),
        venue_type="office",
    )
    with pytest.raises(ValidationError):
        meeting_reschedule(
            meeting=meeting, starts_at=at(10, 10), reason=" ", agreed_by=manager, changed_by=chair
        )
    meeting_reschedule(
        meeting=meeting,
        starts_at=at(10, 14),
        reason="School trip",
        agreed_by=manager,
        changed_by=chair,
    )
    meeting.refresh_from_db()
    assert meeting.starts_at == at(10, 14)
    assert meeting.ends_at - meeting.starts_at == timedelta(minutes=90)
    change = MeetingChange.objects.get()
    assert (change.previous_starts_at, change.new_starts_at, change.agreed_by) == (
        at(9, 10),
        at(10, 14),
        manager,
    )


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_bookings_of_one_slot_one_succeeds_one_is_refused():
    chair = make_user(Role.IRO, username="race-chair")
    children = [ChildFactory(), ChildFactory()]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def book(child):
        try:
            barrier.wait(timeout=5)
            meeting_book(
                kind=MeetingKind.CLA_REVIEW,
                chair=chair,
                children=[child],
                starts_at=at(14, 10),
                venue_type="office",
            )
            outcomes.append("booked")
        except ValidationError as exc:
            outcomes.append("refused: " + exc.message_dict["starts_at"][0])
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(c,)) for c in children]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(o.split(":")[0] for o in outcomes) == ["booked", "refused"]
    assert Meeting.objects.filter(chair=chair).count() == 1
