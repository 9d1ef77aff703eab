"""CLA review reminders, each rule on both sides of its threshold with frozen time.

Easter 2026 sits inside every window: Good Friday 3 April and Easter Monday 6 April.
A review due Friday 24 April 2026 must be booked by Friday 10 April (10 working days before);
5 working days before that deadline is Wednesday 1 April, not Friday 3 April, because of Easter.
"""

from datetime import date

import pytest

from iro.notifications.models import Notification
from tests.notifications.helpers import kinds_for, run_on, titles_for
from tests.reviews.factories import ReviewFactory, at, booked_review, held_review

DUE = date(2026, 4, 24)


@pytest.fixture
def due_review(child):
    return ReviewFactory(child=child, due_date=DUE)


def test_booking_reminder_starts_5_working_days_before_the_deadline_across_easter(
    due_review, iro_allocated, team_manager
):
    run_on(date(2026, 3, 31))  # 6 working days before the deadline
    assert kinds_for(iro_allocated) == []
    run_on(date(2026, 4, 1))  # 5 working days before (calendar: 9 days, Easter in between)
    assert kinds_for(iro_allocated) == ["review_booking_soon"]
    assert titles_for(iro_allocated) == [
        "CLA review of Jamie Smith (C900001), due 24 Apr 2026, is not booked: book it by "
        "10 Apr 2026 (5 working days left)"
    ]
    # The next days find the same reminder again and send nothing more.
    run_on(date(2026, 4, 2))
    run_on(date(2026, 4, 9))
    assert kinds_for(iro_allocated) == ["review_booking_soon"]
    assert kinds_for(team_manager) == []


def test_booking_deadline_day_to_the_iro_then_missed_to_the_team_manager(
    due_review, iro_allocated, team_manager
):
    run_on(date(2026, 4, 9))
    assert kinds_for(iro_allocated) == ["review_booking_soon"]
    run_on(date(2026, 4, 10))  # the deadline
    assert kinds_for(iro_allocated) == ["review_booking_deadline", "review_booking_soon"]
    assert kinds_for(team_manager) == []
    run_on(date(2026, 4, 13))  # the next working day: missed
    assert kinds_for(team_manager) == ["review_booking_missed"]
    assert kinds_for(iro_allocated) == ["review_booking_deadline", "review_booking_soon"]


def test_a_booked_review_gets_no_booking_reminder(child, iro_allocated):
    booked_review(chair=iro_allocated, child=child, starts_at=at(date(2026, 4, 20)), due_date=DUE)
    run_on(date(2026, 4, 13))
    assert kinds_for(iro_allocated, "review_booking") == []


def test_booked_after_the_due_date_tells_the_iro_and_the_team_manager(
    child, iro_allocated, team_manager
):
    booked_review(chair=iro_allocated, child=child, starts_at=at(date(2026, 4, 27)), due_date=DUE)
    run_on(date(2026, 4, 1))
    assert kinds_for(iro_allocated, "review_booked") == ["review_booked_late"]
    assert kinds_for(team_manager) == ["review_booked_late"]


def test_booked_on_the_due_date_is_not_late(child, iro_allocated, team_manager):
    booked_review(chair=iro_allocated, child=child, starts_at=at(DUE), due_date=DUE)
    run_on(date(2026, 4, 1))
    assert kinds_for(team_manager) == []
    assert kinds_for(iro_allocated, "review_booked") == []


def test_social_worker_report_reminder_3_working_days_before_across_easter(child, iro_allocated):
    # Meeting Thursday 9 April: 3 working days before is Thursday 2 April (Good Friday and
    # Easter Monday do not count).
    review = booked_review(
        chair=iro_allocated, child=child, starts_at=at(date(2026, 4, 9)), due_date=DUE
    )
    run_on(date(2026, 4, 1))
    assert kinds_for(iro_allocated, "review_sw") == []
    run_on(date(2026, 4, 2))
    assert kinds_for(iro_allocated, "review_sw") == ["review_sw_report_missing"]
    note = Notification.objects.get(recipient=iro_allocated, kind="review_sw_report_missing")
    assert note.due_date == date(2026, 4, 9)
    assert note.url == f"/reviews/{review.pk}/"


def test_no_social_worker_report_reminder_once_the_report_is_in(child, iro_allocated):
    booked_review(
        chair=iro_allocated,
        child=child,
        starts_at=at(date(2026, 4, 9)),
        due_date=DUE,
        sw_report_received_on=date(2026, 3, 30),
    )
    run_on(date(2026, 4, 7))
    assert kinds_for(iro_allocated, "review_sw") == []


def test_record_milestones_overdue_to_the_iro_then_the_team_manager(
    child, iro_allocated, team_manager
):
    # Held Friday 27 March 2026: manager informed due 7 April (5 working days, Easter skipped),
    # record completed 21 April, distributed 28 April. Team manager 5 working days after each.
    held_review(
        chair=iro_allocated, child=child, held_on=date(2026, 3, 27), due_date=date(2026, 3, 30)
    )
    run_on(date(2026, 4, 7))
    assert kinds_for(iro_allocated, "review_record") == []
    run_on(date(2026, 4, 8))
    assert kinds_for(iro_allocated, "review_record") == ["review_record_overdue"]
    assert (
        "team manager informed of the outcome was due by 7 Apr 2026" in titles_for(iro_allocated)[0]
    )
    run_on(date(2026, 4, 14))
    assert kinds_for(team_manager) == []
    run_on(date(2026, 4, 15))
    assert kinds_for(team_manager) == ["review_record_overdue_manager"]
    run_on(date(2026, 4, 22))  # the record was not completed by 21 April either
    assert kinds_for(iro_allocated, "review_record") == ["review_record_overdue"] * 2


def test_milestones_done_on_time_send_nothing(child, iro_allocated, team_manager):
    held_review(
        chair=iro_allocated,
        child=child,
        held_on=date(2026, 3, 27),
        due_date=date(2026, 3, 30),
        manager_informed_on=date(2026, 3, 30),
    )
    run_on(date(2026, 4, 20))
    assert kinds_for(iro_allocated, "review_record") == []
