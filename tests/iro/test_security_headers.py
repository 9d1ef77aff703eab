"""Browser security headers, sign-in throttling by address, and the idle session timeout."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from iro.roles import Role
from tests.iro.factories import DEFAULT_PASSWORD, make_user

ROOT = Path(__file__).resolve().parents[2]


def _directives(header: str) -> dict:
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_script(login, team_manager):
    response = login(team_manager).get(reverse("reviews:schedule"))
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    for directive in policy.values():
        assert "'unsafe-inline'" not in directive
        assert "'unsafe-eval'" not in directive
    html = response.content.decode()
    # Every script on the page is a file from the service; nothing inline, no inline handlers.
    scripts = re.findall(r"<script\b([^>]*)>", html)
    # GOV.UK's js-enabled marker, the app's module and the submit-once guard.
    assert len(scripts) == 3
    assert all('src="/static/' in attrs for attrs in scripts)
    assert not re.search(r"\son[a-z]+=", html)
    assert "<style" not in html
    assert ' style="' not in html


def test_no_template_has_inline_script_style_or_handlers():
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or "<style" in text:
            offenders.append(str(template.relative_to(ROOT)))
        if re.search(r'\s(on[a-z]+|style)="', text):
            offenders.append(str(template.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.django_db
def test_the_sign_in_page_and_api_docs_carry_the_policy_too(client, login, iro_allocated):
    assert "script-src 'self'" in client.get(reverse("login"))["Content-Security-Policy"]
    docs = login(iro_allocated).get(reverse("api-docs"))
    assert docs.status_code == 200
    assert "script-src 'self'" in docs["Content-Security-Policy"]
    html = docs.content.decode()
    # Swagger UI from the service's own static files, its start-up script a separate request.
    assert "cdn." not in html
    assert re.findall(r"<script\b([^>]*)>", html) and all(
        "src=" in attrs for attrs in re.findall(r"<script\b([^>]*)>", html)
    )


@pytest.mark.django_db
def test_pages_carry_a_permissions_policy(client):
    header = client.get(reverse("login"))["Permissions-Policy"]
    features = dict(item.split("=", 1) for item in header.split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"


@pytest.mark.django_db
def test_one_password_tried_against_many_users_from_one_address_is_locked_out(client):
    users = [make_user(Role.IRO, username=f"user{n:02d}") for n in range(30)]
    limit = settings.AXES_IP_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT
    # One failure per user: no username reaches its own limit...
    statuses = [
        client.post(
            reverse("login"), {"username": user.username, "password": "Summer2026!"}
        ).status_code
        for user in users[:limit]
    ]
    assert statuses == [200] * (limit - 1) + [429]
    # ...but the address is now locked, even for a right password of an untouched account.
    response = client.post(
        reverse("login"), {"username": users[-1].username, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 429
    # Another address is not affected.
    other = client.post(
        reverse("login"),
        {"username": users[-1].username, "password": DEFAULT_PASSWORD},
        REMOTE_ADDR="192.0.2.99",
    )
    assert other.status_code == 302


@pytest.mark.django_db
def test_a_few_failures_by_different_people_at_one_address_lock_no_one_else(client):
    users = [make_user(Role.IRO, username=f"person{n}") for n in range(4)]
    for user in users[:3]:
        client.post(reverse("login"), {"username": user.username, "password": "mistyped"})
    response = client.post(
        reverse("login"), {"username": users[3].username, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_session_expires_after_the_idle_timeout(client, iro_allocated):
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        response = client.post(
            reverse("login"), {"username": "alice", "password": DEFAULT_PASSWORD}
        )
        assert response.status_code == 302
        assert client.get(reverse("home")).status_code == 200
    # Activity keeps the session alive: each request pushes the expiry on.
    with time_machine.travel(start + idle - timedelta(minutes=1), tick=False):
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(start + 2 * idle - timedelta(minutes=2), tick=False):
        assert client.get(reverse("home")).status_code == 200
    # Idle for longer than the timeout: signed out, sent to sign in.
    with time_machine.travel(start + 3 * idle, tick=False):
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_activity_pushes_the_expiry_on_at_most_once_a_minute(client, iro_allocated):
    from django.contrib.sessions.models import Session

    def expiry():
        return Session.objects.get(session_key=client.session.session_key).expire_date

    def session_writes(at) -> int:
        with time_machine.travel(at, tick=False), CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        return sum('UPDATE "django_session"' in q["sql"] for q in queries.captured_queries)

    age = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post(reverse("login"), {"username": "alice", "password": DEFAULT_PASSWORD})
    # Signing in saved the session: the first minute needs no write.
    first = expiry()
    assert first == start + age
    assert session_writes(start + timedelta(seconds=1)) == 0
    assert session_writes(start + timedelta(seconds=30)) == 0
    assert session_writes(start + timedelta(seconds=59)) == 0
    assert expiry() == first
    # A minute after the last save: written again, the expiry moves on.
    assert session_writes(start + timedelta(seconds=62)) == 1
    assert expiry() == start + timedelta(seconds=62) + age


@pytest.mark.django_db
def test_the_api_throttle_lets_requests_through_when_the_cache_is_down(iro_allocated, rf):
    from django.core.cache.backends.redis import RedisCache
    from rest_framework.views import APIView

    from iro.throttling import ServiceUserRateThrottle

    throttle = ServiceUserRateThrottle()
    # A real Redis client pointed at a port where nothing listens.
    throttle.cache = RedisCache("redis://127.0.0.1:9/0", {"OPTIONS": {"socket_connect_timeout": 1}})
    request = rf.get("/api/children/")
    request.user = iro_allocated
    assert throttle.allow_request(request, APIView()) is True
    assert (
        "iro.throttling.ServiceUserRateThrottle"
        in (
            __import__("sys")
            .modules["config.settings.base"]
            .REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]
        )
    )
