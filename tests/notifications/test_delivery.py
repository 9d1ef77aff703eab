"""Email delivery: chosen kinds by email, the daily digest, retries, and a broker that is down."""

import smtplib
import time
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from config.celery_app import app as celery_app
from iro import tasks
from iro.models import Allocation, AllocationRole
from iro.notifications import delivery
from iro.notifications.models import Notification, NotificationPreference
from iro.services.allocations import allocation_allocate
from iro.tasks import send_notification_email
from reviews.models import ReviewStatus
from tests.iro.factories import ChildFactory
from tests.reviews.factories import ReviewFactory
from tests.reviews.test_pages import _book_data


@pytest.fixture
def eager():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def test_a_chosen_kind_comes_by_email_once_the_transaction_commits(
    child, iro_other, team_manager, eager, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=iro_other, email_kinds=["allocation_new"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        allocation_allocate(
            child=child,
            iro=iro_other,
            role=AllocationRole.CLA,
            start=date(2026, 4, 1),
            reason="Caseload balance",
            by=team_manager,
        )
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [iro_other.email]
    assert "You are the CLA reviewing officer for Jamie Smith (C900001)" in message.subject
    assert f"http://127.0.0.1:8000/children/{child.pk}/" in message.body
    assert Notification.objects.get(recipient=iro_other).emailed_at is not None


def test_kinds_not_chosen_stay_in_the_inbox_only(
    child, iro_other, iro_allocated, team_manager, eager, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=iro_other, email_kinds=["irp_raised"])
    with django_capture_on_commit_callbacks(execute=True):
        allocation_allocate(
            child=child, iro=iro_other, role=AllocationRole.CLA, reason="Move", by=team_manager
        )
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=iro_other).count() == 1


def test_an_smtp_failure_is_retried_and_the_email_sent_once(iro_allocated, monkeypatch, eager):
    note = Notification.objects.create(
        recipient=iro_allocated, kind="k", object_type="t", object_id=1, title="Book the review"
    )
    real_send, calls = delivery.send_mail, []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("connection lost")
        return real_send(**kwargs)

    monkeypatch.setattr(delivery, "send_mail", flaky)
    send_notification_email.apply_async(args=[note.pk])
    assert len(calls) == 2
    assert len(mail.outbox) == 1
    note.refresh_from_db()
    assert note.emailed_at is not None
    # Sending again (a duplicate message in the queue) sends nothing.
    send_notification_email.apply_async(args=[note.pk])
    assert len(mail.outbox) == 1


def test_the_email_task_retries_smtp_errors_with_backoff():
    assert smtplib.SMTPException in send_notification_email.autoretry_for
    assert send_notification_email.retry_backoff is True
    assert send_notification_email.max_retries >= 3


def test_the_daily_digest_lists_what_was_not_emailed(iro_allocated, iro_other):
    NotificationPreference.objects.create(user=iro_allocated, daily_digest=True)
    for i, title in enumerate(["Book the review", "Report not received"]):
        Notification.objects.create(
            recipient=iro_allocated,
            kind="k",
            object_type="t",
            object_id=i,
            title=title,
            url=f"/reviews/{i}/",
        )
    Notification.objects.create(
        recipient=iro_allocated,
        kind="k",
        object_type="t",
        object_id=9,
        title="Already emailed",
        emailed_at=timezone.now(),
    )
    Notification.objects.create(
        recipient=iro_other, kind="k", object_type="t", object_id=1, title="Bob's"
    )
    assert delivery.send_digests() == 1
    (message,) = mail.outbox
    assert message.to == [iro_allocated.email]
    assert "2 notifications today" in message.subject
    assert "Book the review" in message.body and "Report not received" in message.body
    assert "Already emailed" not in message.body and "Bob" not in message.body
    assert delivery.send_digests() == 0
    assert len(mail.outbox) == 1


@pytest.fixture
def broker_down():
    """Point the broker at a closed port, as if Redis were down."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.broker_write_url
    conf.broker_url = conf.broker_write_url = "redis://127.0.0.1:1/0"
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    tasks._broker_down_until = 0.0
    yield
    tasks._broker_down_until = 0.0
    conf.broker_url, conf.broker_write_url = saved
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_with_the_broker_down_allocations_and_bookings_still_save(
    child,
    iro_allocated,
    iro_other,
    team_manager,
    login,
    broker_down,
    caplog,
    django_capture_on_commit_callbacks,
):
    NotificationPreference.objects.create(user=iro_other, email_kinds=["allocation_new"])
    review = ReviewFactory(child=ChildFactory(), due_date=timezone.localdate() + timedelta(days=40))
    Allocation.objects.create(
        child=review.child, iro=iro_allocated, role="cla", start=date(2024, 1, 1)
    )
    manager = login(team_manager)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = manager.post(
            reverse("children:allocate", kwargs={"pk": child.pk}),
            {
                "role": "cla",
                "iro": iro_other.pk,
                "start_0": 1,
                "start_1": 4,
                "start_2": 2026,
                "reason": "Caseload balance",
            },
        )
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert len(callbacks) == 1  # the email was to be queued...
    assert "Broker unavailable" in caplog.text  # ...and the broker failure was logged
    assert elapsed < 10
    assert Allocation.objects.get(child=child, end__isnull=True).iro == iro_other
    assert Notification.objects.filter(recipient=iro_other, kind="allocation_new").count() == 1
    # The next request does not wait for the broker again: it backs off for a while.
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        allocation_allocate(
            child=review.child, iro=iro_other, role="cla", reason="Cover", by=team_manager
        )
    assert time.monotonic() - started < 1
    assert "not queued (backing off)" in caplog.text
    with django_capture_on_commit_callbacks(execute=True):
        response = login(iro_other).post(
            reverse("reviews:book", args=[review.pk]),
            _book_data(iro_other, review.due_date - timedelta(days=7)),
        )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.BOOKED
