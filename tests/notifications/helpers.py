"""Frozen-time helpers for the reminder rule tests."""

from contextlib import contextmanager
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import time_machine

from iro.notifications.models import Notification
from iro.notifications.runner import run_rules

LONDON = ZoneInfo("Europe/London")


@contextmanager
def on(day: date, hour: int = 9):
    with time_machine.travel(datetime.combine(day, time(hour, 0), tzinfo=LONDON), tick=False):
        yield


def run_on(day: date, schedule: str = "daily", hour: int = 9) -> dict[str, int]:
    with on(day, hour):
        return run_rules(schedule)


def kinds_for(user, kind_prefix: str = "") -> list[str]:
    return sorted(
        Notification.objects.filter(recipient=user, kind__startswith=kind_prefix).values_list(
            "kind", flat=True
        )
    )


def titles_for(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))
