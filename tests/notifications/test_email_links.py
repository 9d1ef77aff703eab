"""Links in emails open the service: SITE_URL follows the address the service is reached at.

`make run` sets SITE_URL from HOST and PORT (tests/iro/test_run_script.py); production takes
SITE_URL or, unset, https:// and the first of ALLOWED_HOSTS. And from the README's first run:
the demo IRO finds a due-soon email in the email folder after the first run of the daily
reminders, with a link that opens the review.
"""

import os
import re
import subprocess
import sys
from datetime import datetime
from email import message_from_string
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client, override_settings

from config.celery_app import app as celery_app
from iro.models import User
from iro.notifications.models import NotificationPreference
from iro.notifications.runner import run_rules

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-site-url-check-0987654321",
}


def _site_url(**env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SITE_URL", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.SITE_URL)",
        ],
        cwd=ROOT,
        env={**environment, **PRODUCTION, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_links_start_with_the_first_allowed_host_over_https():
    result = _site_url(ALLOWED_HOSTS="iro.example.gov.uk,www.iro.example.gov.uk")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://iro.example.gov.uk"


def test_production_keeps_a_site_url_that_is_set():
    result = _site_url(ALLOWED_HOSTS="iro.internal", SITE_URL="https://iro.example.gov.uk/")
    assert result.stdout.strip() == "https://iro.example.gov.uk"


def test_production_refuses_a_wildcard_host_without_site_url():
    result = _site_url(ALLOWED_HOSTS=".example.gov.uk")
    assert result.returncode != 0
    assert "SITE_URL must be set" in result.stderr


@pytest.fixture
def eager():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


# The demo is built around the day it is loaded, but which of its reviews falls on a reminder's
# day depends on the weekday and the bank holidays around it (on 8 December 2026 none of the demo
# IRO's reviews did). The test loads it on an ordinary Wednesday in term time, and follows the
# first reminder that a review is not booked (its deadline near, or today).
DEMO_DAY = datetime(2026, 6, 10, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@time_machine.travel(DEMO_DAY, tick=False)
def test_the_first_daily_run_after_the_demo_loads_emails_a_due_soon_reminder_that_opens(
    db, tmp_path, eager, django_capture_on_commit_callbacks
):
    """The README's path: `make run` loads the demo (seed_demo), its worker runs the daily rules
    on start and the file backend writes emails to the mail folder (as config.settings.local does
    with .data/mail/). Nobody has chosen their emails yet: the defaults send the due-soon one."""
    call_command("seed_demo", stdout=StringIO())
    assert not NotificationPreference.objects.exists()
    mail_dir = tmp_path / "mail"
    backend = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(mail_dir)},
        }
    }
    with override_settings(MAILERS=backend), django_capture_on_commit_callbacks(execute=True):
        run_rules("daily")
    text = "".join(f.read_text() for f in sorted(mail_dir.glob("*.log")))
    # The file backend writes each message as sent (quoted-printable), then a line of dashes.
    messages = [
        message_from_string(chunk.strip() + "\n") for chunk in text.split("-" * 79) if chunk.strip()
    ]
    iro = User.objects.get(username="iro")
    due_soon = [
        message.get_payload(decode=True).decode()
        for message in messages
        if message["To"] == iro.email
        and "is not booked: " in message.get_payload(decode=True).decode()
    ]
    assert due_soon, [m["Subject"] for m in messages]
    link = re.search(r"http://127\.0\.0\.1:8000(/\S+/)", due_soon[0])
    assert link, due_soon[0]
    client = Client()
    client.force_login(iro)
    page = client.get(urlsplit(link.group(0)).path)
    assert page.status_code == 200
    assert b"CLA review" in page.content or b"conference" in page.content.lower()
