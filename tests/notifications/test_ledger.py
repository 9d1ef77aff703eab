"""A reminder is sent at most once: the database constraint and the conditional insert."""

import threading
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from iro.notifications.models import Notification, RuleRun
from iro.notifications.runner import run_rules
from iro.notifications.services import notifications_create
from iro.registry import Reminder
from tests.iro.factories import AllocationFactory, ChildFactory
from tests.notifications.helpers import on
from tests.reviews.factories import ReviewFactory, held_review


def _reminder(user, **kwargs):
    values = {
        "kind": "review_booking_soon",
        "recipient_id": user.pk,
        "object_type": "reviews.review",
        "object_id": 1,
        "due_date": date(2026, 4, 24),
        "text": "named",
        "text_anonymous": "anonymous",
    }
    values.update(kwargs)
    return Reminder(**values)


def test_the_database_refuses_a_second_row_for_the_same_reminder(iro_allocated):
    fields = {
        "recipient": iro_allocated,
        "kind": "k",
        "object_type": "reviews.review",
        "object_id": 1,
        "due_date": date(2026, 4, 24),
        "title": "t",
    }
    Notification.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(**fields)


def test_conditional_insert_returns_only_new_rows(iro_allocated, iro_other):
    first = notifications_create(reminders=[_reminder(iro_allocated), _reminder(iro_other)])
    assert len(first) == 2
    again = notifications_create(
        reminders=[_reminder(iro_allocated), _reminder(iro_allocated, due_date=date(2026, 5, 1))]
    )
    assert len(again) == 1
    assert Notification.objects.count() == 3


def test_running_the_rules_twice_sends_nothing_the_second_time(child, iro_allocated):
    ReviewFactory(child=child, due_date=date(2026, 4, 24))
    with on(date(2026, 4, 10)):
        first = run_rules("daily")
        second = run_rules("daily")
    assert first["review_booking"] == 1
    assert second["review_booking"] == 0
    runs = RuleRun.objects.filter(rule="review_booking").order_by("pk")
    assert [(r.found, r.sent, r.sent_by_kind) for r in runs] == [
        (1, 1, {"review_booking_deadline": 1}),
        (1, 0, {}),
    ]


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_daily_rules_at_once_send_each_reminder_once(
    child, iro_allocated, iro_other, team_manager
):
    # Due reminders for the IRO and the team manager: an unbooked review past its deadline
    # (manager), another near its deadline (IRO), a held review with overdue milestones.
    ReviewFactory(child=child, due_date=date(2026, 4, 24))
    other_child = ChildFactory()
    AllocationFactory(child=other_child, iro=iro_allocated)
    held_review(chair=iro_allocated, child=other_child, held_on=date(2026, 3, 2))
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=10)
            results.append(run_rules("daily"))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    with on(date(2026, 4, 13)):  # frozen for both threads (time-machine patches the process)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    assert len(results) == 2
    keys = list(
        Notification.objects.values_list(
            "kind", "object_type", "object_id", "due_date", "recipient_id"
        )
    )
    assert len(keys) == len(set(keys))
    assert len(keys) > 3
    # Between them the two runs created each notification exactly once.
    assert sum(sum(r.values()) for r in results) == len(keys)
    assert Notification.objects.filter(kind="review_booking_missed").count() == 1
    assert Notification.objects.filter(kind="review_record_overdue").count() == 3
