"""Overload (issue 34): the busy page, refused POSTs that keep what was typed, the deadlines.

The process's in-flight limit is forced to 0 (everything not exempt is refused) or a request is
sent as having waited past its budget (X-Request-Start), as a surge past the knee would.
"""

import importlib
import re
import subprocess
import sys
import time
import weakref
from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from config.db_timeouts import use_job_statement_timeout
from escalations.models import Concern
from tests.qa.test_lost_updates import open_form, post_data

pytestmark = pytest.mark.django_db

saturated = override_settings(ADMISSION_MAX_IN_FLIGHT=0)


def hidden_fields(body: str) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', body):
        fields.setdefault(name, []).append(value)
    return fields


def test_the_busy_page_is_a_503_with_retry_after_in_the_govuk_layout(iro_allocated, login):
    client = login(iro_allocated)
    with saturated:
        response = client.get("/reviews/")
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.ADMISSION_RETRY_AFTER_SECONDS) == "5"
    assert response["Cache-Control"] == "no-store"
    assert '<h1 class="govuk-heading-l">Sorry, the service is busy</h1>' in body
    assert "govuk-template" in body and "govuk-footer" in body
    # The CSP allows no inline script or style.
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*\bsrc=)", body)
    assert "style=" not in body and "<style" not in body
    # Refused before the session was read: the page does not show the person as signed in.
    assert 'data-testid="signed-in-user"' not in body


def test_a_request_that_waited_past_its_budget_is_refused_and_a_fresh_one_served(
    iro_allocated, login
):
    client = login(iro_allocated)
    budget = settings.ADMISSION_QUEUE_BUDGET_MS
    stale = f"t={(time.time() * 1000 - budget - 500):.0f}"  # milliseconds, as nginx's ${msec}
    refused = client.get("/reviews/", headers={"x-request-start": stale})
    assert (refused.status_code, refused["X-Admission"]) == (503, "waited")
    fresh = f"t={time.time() * 1_000_000:.0f}"  # microseconds
    assert client.get("/reviews/", headers={"x-request-start": fresh}).status_code == 200
    assert client.get("/reviews/").status_code == 200  # no header: queue time from now


def test_the_api_is_refused_with_json(iro_allocated, login):
    with saturated:
        response = login(iro_allocated).get("/api/children/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Nothing was saved" in response.json()["detail"]


def test_a_refused_post_writes_nothing_and_shows_the_typing_in_a_form_that_sends_it_again(
    child, iro_allocated
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(iro_allocated)
    url = reverse("escalations:concern_new")
    data = post_data(
        open_form(client, url),
        child=child.pk,
        raised_on=date(2025, 11, 3),
        category="drift_and_delay",
        description="Permanence plan drifting <since> July",
        raised_with="Social worker",
    )
    data["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
    with saturated:
        refused = client.post(url, data)
    body = refused.content.decode()
    assert refused.status_code == 503
    assert refused["Retry-After"] == "5"
    assert Concern.objects.count() == 0  # the view never ran
    assert "has <strong>not</strong> been saved" in body
    assert f'<form method="post" action="{url}"' in body
    shown = hidden_fields(body)
    # Every typed field is there to send again, escaped, with the CSRF token.
    assert shown["description"] == ["Permanence plan drifting &lt;since&gt; July"]
    assert shown["raised_with"] == ["Social worker"]
    assert shown["csrfmiddlewaretoken"] == [data["csrfmiddlewaretoken"]]
    assert set(shown) == {k for k, v in data.items() if v is not None}
    # Sent again once the surge is over (the browser unescapes the values), it is recorded once.
    again = {
        name: values[0].replace("&lt;", "<").replace("&gt;", ">") for name, values in shown.items()
    }
    sent = client.post(url, again)
    assert sent.status_code == 302, sent.content.decode()[:1000]
    concern = Concern.objects.get()
    assert (concern.description, concern.child_id) == (
        "Permanence plan drifting <since> July",
        child.pk,
    )


def test_a_refused_post_never_shows_a_password_again(administrator, login):
    client = login(administrator)
    with saturated:
        refused = client.post(
            "/accounts/reset/MQ/set-password/",
            {
                "new_password1": "Tr0ub4dor&3-horse",
                "new_password2": "Tr0ub4dor&3-horse",
                "note": "x",
            },
        )
    body = refused.content.decode()
    assert refused.status_code == 503
    assert "Tr0ub4dor" not in body and "new_password" not in body
    assert hidden_fields(body) == {"note": ["x"]}


def test_health_and_sign_in_keep_answering_when_the_process_is_full(iro_allocated):
    client = Client()
    with saturated:
        health = client.get("/health/")
        sign_in = client.get(reverse("login"))
        busy = client.get("/reviews/")
    assert health.status_code == 200
    assert health.json()["checks"]["database"] == "ok"
    assert sign_in.status_code == 200 and b"Sign in" in sign_in.content
    assert busy.status_code == 503


def test_the_web_connection_has_the_statement_timeout_of_the_settings():
    assert settings.DB_STATEMENT_TIMEOUT_MS == 5000
    with connection.cursor() as cursor:
        cursor.execute("SELECT setting, unit FROM pg_settings WHERE name = 'statement_timeout'")
        assert cursor.fetchone() == ("5000", "ms")
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("5s",)


@pytest.mark.urls("tests.qa.overload_urls")
def test_a_query_past_its_deadline_answers_busy_not_500(iro_allocated, login):
    client = login(iro_allocated)
    client.raise_request_exception = False
    started = time.perf_counter()
    response = client.get("/slow/")
    assert time.perf_counter() - started < 1.9  # cancelled at 100 ms, not after pg_sleep(2)
    assert response.status_code == 503
    assert response["X-Admission"] == "deadline"
    assert response["Retry-After"] == "5"
    assert b"Sorry, the service is busy" in response.content
    # The request's transaction was rolled back and the connection still works.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_long_jobs_run_under_the_jobs_statement_timeout():
    """Management commands (and Celery workers, through the same function) are exempt."""
    shown = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from django.db import connection\n"
         "c = connection.cursor(); c.execute('SHOW statement_timeout'); print(c.fetchone()[0])"],
        cwd=settings.BASE_DIR, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert shown.stdout.strip().splitlines()[-1] == "0"
    from celery.signals import worker_init, worker_process_init

    celery_module = importlib.import_module("config.celery_app")
    for signal in (worker_init, worker_process_init):
        receivers = [r() if isinstance(r, weakref.ref) else r for _key, r in signal.receivers]
        assert celery_module.long_job_statement_timeout in receivers


def test_the_jobs_timeout_replaces_the_web_one_in_the_connection_options(monkeypatch):
    databases = {
        "default": {"OPTIONS": {"options": "-c jit=off -c statement_timeout=5000"}},
        "other": {},
    }
    monkeypatch.setattr(settings, "DATABASES", databases)
    monkeypatch.setattr(settings, "DB_JOB_STATEMENT_TIMEOUT_MS", 0)
    monkeypatch.setattr("django.db.connections.all", lambda **kwargs: [])
    use_job_statement_timeout()
    assert databases["default"]["OPTIONS"]["options"] == "-c jit=off -c statement_timeout=0"
    assert databases["other"]["OPTIONS"]["options"] == "-c statement_timeout=0"
