"""End to end on a real Celery worker and the machine's Redis: a task sent with apply_async runs
the reminder rules in a worker process, which writes the notification to the database and emails
it through the file backend.

The worker listens on a queue of its own (a fresh name per run), so it cannot take another run's
messages, and uses the test database (its name is passed in DATABASE_URL).
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from iro.notifications.models import Notification, NotificationPreference, RuleRun
from iro.rules import add_working_days
from iro.tasks import run_reminder_rules
from tests.reviews.factories import ReviewFactory
from tests.worker_database import worker_database_url

pytestmark = [
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a real Redis)"),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(settings.BASE_DIR)
WAIT_SECONDS = 60


@pytest.fixture
def worker(tmp_path):
    queue = f"iro-test-{uuid.uuid4().hex[:12]}"
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": worker_database_url(),
        "CELERY_QUEUE": queue,
        "EMAIL_FILE_PATH": str(mail_dir),
        "REMINDERS_RUN_ON_WORKER_START": "false",
    }
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "config.celery_app",
            "worker",
            "-Q",
            queue,
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield queue, mail_dir, tmp_path / "worker.log"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def _wait_for(check, seconds=WAIT_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.5)
    return None


def test_a_worker_runs_the_rules_and_delivers_the_reminder_by_email(worker, child, iro_allocated):
    queue, mail_dir, log_path = worker
    today = timezone.localdate()
    # Booking deadline 2 working days away: a "book it soon" reminder is due today.
    review = ReviewFactory(child=child, due_date=add_working_days(today, 12))
    NotificationPreference.objects.create(user=iro_allocated, email_kinds=["review_booking_soon"])

    run_reminder_rules.apply_async(args=["daily"], queue=queue)

    note = _wait_for(
        lambda: Notification.objects.filter(
            recipient=iro_allocated, kind="review_booking_soon", emailed_at__isnull=False
        ).first()
    )
    assert note is not None, log_path.read_text()[-3000:]
    assert note.object_id == review.pk
    assert note.title.startswith("CLA review of Jamie Smith (C900001)")

    def sent_mail() -> str:
        # The backend writes the file as it sends; wait for a whole message.
        text = "".join(f.read_text() for f in sorted(mail_dir.glob("*.log")))
        return text if "-" * 79 in text else ""

    body = _wait_for(sent_mail)
    assert body, log_path.read_text()[-3000:]
    assert f"To: {iro_allocated.email}" in body
    assert "CLA review of Jamie Smith (C900001)" in body
    assert f"/reviews/{review.pk}/" in body
    runs = RuleRun.objects.filter(rule="review_booking")
    assert [(r.found, r.sent, r.error) for r in runs] == [(1, 1, "")]
