"""Runs the registered reminder rules and records each run (shown in the admin)."""

from __future__ import annotations

import logging
from datetime import date

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from iro.notifications.models import Notification, RuleRun
from iro.notifications.services import (
    deliverable,
    notifications_create,
    notifications_resolve_gone,
)
from iro.registry import registry

logger = logging.getLogger(__name__)

SCHEDULES = ("daily", "hourly")


def run_rules(schedule: str, today: date | None = None) -> dict[str, int]:
    """Run every rule of `schedule`; returns {rule name: new notifications}.

    Rules find what is due from the data, so a missed run (worker down, broker down) catches up
    on the next one; the ledger keeps each reminder to one notification. A rule that fails is
    recorded with its error and does not stop the others. After a rule runs, its notifications
    that it no longer finds are resolved (their condition is gone).
    """
    if schedule not in SCHEDULES:
        raise ValueError(f"Unknown schedule {schedule!r}")
    today = today or timezone.localdate()
    results: dict[str, int] = {}
    for rule in [r for r in registry.reminder_rules if r.schedule == schedule]:
        run = RuleRun.objects.create(rule=rule.name, schedule=schedule, started_at=timezone.now())
        try:
            with transaction.atomic():
                reminders = deliverable(rule.find(today))
                new = notifications_create(reminders=reminders)
                notifications_resolve_gone(kinds=rule.kinds, found=reminders)
            run.found, run.sent = len(reminders), len(new)
            if new:
                run.sent_by_kind = dict(
                    Notification.objects.filter(pk__in=new)
                    .values_list("kind")
                    .annotate(n=Count("pk"))
                    .order_by("kind")
                )
        except Exception as error:  # recorded on the run; the next rule still runs
            logger.exception("Reminder rule %s failed", rule.name)
            run.error = f"{type(error).__name__}: {error}"
        run.finished_at = timezone.now()
        run.save(update_fields=["found", "sent", "sent_by_kind", "error", "finished_at"])
        results[rule.name] = run.sent
    return results
