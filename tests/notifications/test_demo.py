"""`make run` path: after seed_demo, the rules the worker runs on start leave reminders in the
inboxes of the demo IRO, team manager and head of service."""

from io import StringIO

from django.core.management import call_command

from iro.notifications.models import Notification
from iro.notifications.runner import run_rules


def test_the_demo_iro_manager_and_head_have_reminders_after_the_first_run(db):
    call_command("seed_demo", stdout=StringIO())
    run_rules("daily")
    run_rules("hourly")
    for username in ["iro", "manager", "head"]:
        kinds = set(
            Notification.objects.filter(recipient__username=username).values_list("kind", flat=True)
        )
        assert kinds, f"{username} has no notification"
    assert "irp_response_overdue" in set(
        Notification.objects.filter(recipient__username="head").values_list("kind", flat=True)
    )
    assert "irp_response_overdue" in set(
        Notification.objects.filter(recipient__username="iro").values_list("kind", flat=True)
    )
