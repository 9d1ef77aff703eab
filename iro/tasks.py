"""Celery tasks: thin wrappers over the notification services.

Web code never waits on the broker: `enqueue` publishes after the transaction commits, with a
short connection timeout and no retries, and logs a broker failure instead of raising it. What
is lost that way is only an email; reminders are found again from the data by the next rule run.
"""

from __future__ import annotations

import logging
import smtplib
import time

from celery import shared_task
from django.db import transaction

logger = logging.getLogger(__name__)

# After a failed publish the web side stops trying for this long, so only one request in that
# time pays the connection timeout.
BROKER_BACKOFF_SECONDS = 30
_broker_down_until = 0.0


def enqueue(task, *args, **kwargs) -> None:
    """Send `task` to the broker once the current transaction commits; never raise."""

    def publish() -> None:
        global _broker_down_until
        if time.monotonic() < _broker_down_until:
            logger.warning("Broker unavailable: %s not queued (backing off)", task.name)
            return
        try:
            task.apply_async(args=args, kwargs=kwargs, retry=False)
        except Exception:
            _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
            logger.warning("Broker unavailable: %s not queued", task.name, exc_info=True)

    transaction.on_commit(publish)


def queue_notification_emails(sender, ids, **kwargs) -> None:
    """Receiver of iro.signals.notifications_to_email: one email task per notification."""
    for pk in ids:
        enqueue(send_notification_email, pk)


@shared_task(name="iro.run_reminder_rules")
def run_reminder_rules(schedule: str = "daily") -> dict[str, int]:
    from iro.notifications.runner import run_rules

    return run_rules(schedule)


@shared_task(
    name="iro.send_notification_email",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def send_notification_email(notification_id: int) -> bool:
    from iro.notifications.delivery import email_notification

    return email_notification(notification_id)


@shared_task(
    name="iro.send_daily_digests",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True,
    max_retries=6,
)
def send_daily_digests() -> int:
    from iro.notifications.delivery import send_digests

    return send_digests()
