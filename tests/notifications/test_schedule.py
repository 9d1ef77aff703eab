"""The beat schedule is declared once and names real tasks; a failing rule is recorded and does
not stop the others."""

from datetime import date

from celery.schedules import crontab
from django.conf import settings

from config.celery_app import app as celery_app
from iro.notifications.models import RuleRun
from iro.notifications.runner import run_rules
from iro.registry import ReminderRule, registry
from tests.notifications.helpers import on


def test_the_beat_schedule_runs_daily_and_hourly_rules_and_the_digest():
    # What a worker and beat do when they start: import every installed app's tasks module
    # (autodiscover_tasks), so that the check does not depend on which tests ran before it.
    celery_app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE
    for entry in schedule.values():
        assert entry["task"] in celery_app.tasks
    by_args = {
        entry.get("args", ("",))[0]: entry["schedule"]
        for entry in schedule.values()
        if entry["task"] == "iro.run_reminder_rules"
    }
    assert set(by_args) == {"daily", "hourly"}
    assert isinstance(by_args["daily"], crontab) and by_args["daily"].hour == {6}
    assert by_args["hourly"].hour == set(range(24))
    assert any(e["task"] == "iro.send_daily_digests" for e in schedule.values())


def test_every_rule_is_on_a_known_schedule_and_every_kind_has_a_label():
    assert {r.schedule for r in registry.reminder_rules} == {"daily", "hourly"}
    names = [r.name for r in registry.reminder_rules]
    assert len(names) == len(set(names)) >= 10
    assert all(registry.notification_kinds.values())


def test_a_failing_rule_is_recorded_and_the_others_still_run(db, monkeypatch, child):
    def broken(today):
        raise RuntimeError("bad data")

    monkeypatch.setattr(
        registry,
        "reminder_rules",
        [ReminderRule("broken", "daily", broken), *registry.reminder_rules],
    )
    with on(date(2026, 4, 10)):
        results = run_rules("daily")
    assert results["broken"] == 0
    broken_run = RuleRun.objects.get(rule="broken")
    assert broken_run.error == "RuntimeError: bad data"
    assert broken_run.finished_at is not None
    assert RuleRun.objects.filter(schedule="daily", error="").count() == len(results) - 1
