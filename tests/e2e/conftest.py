"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

Use the fixtures here:
- `page` (pytest-playwright) with `live_server`;
- `sign_in(page, user)` signs in through the real sign-in form;
- `assert_accessible(page)` runs axe-core in the page and fails on any violation.

Browser tests must be marked `@pytest.mark.e2e` and use
`@pytest.mark.django_db(transaction=True)`, because the browser talks to the live server from
another thread. Each such test ends with a flush of the test database; Django's post_migrate then
recreates content types, permissions and the role groups, but not rows written by data
migrations, so code must not assume those rows exist (use get_or_create, e.g. ServiceSettings.load()).
"""

import functools
import json
import os
import shutil
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from tests.iro.factories import DEFAULT_PASSWORD

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body
# are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@functools.cache
def AXE_SOURCE() -> str:  # noqa: N802 - a constant, read once
    return AXE_JS.read_text() + "\n;void 0"


CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def no_content_security_policy_violations(request):
    """Every browser test also proves the pages run under the CSP: the browser reports nothing
    refused (an inline script or style, a handler attribute, a resource from elsewhere)."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield
    assert refused == [], f"the browser refused under the CSP: {refused}"


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server.url


@pytest.fixture
def sign_in(live_server):
    def _sign_in(page, user, password: str = DEFAULT_PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("domcontentloaded")
        assert "/accounts/login/" not in page.url, "sign-in failed"

    return _sign_in


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page once it has loaded.

    A test may call this straight after a click that navigates: wait for the new document (every
    page of the service has a main landmark and a level-one heading), and start again if the
    document is replaced while axe runs.
    """
    for _attempt in range(3):
        page.wait_for_load_state("load")
        page.locator("main h1").first.wait_for(state="attached")
        try:
            # Evaluated through the DevTools protocol: a <script> tag with axe inline would be
            # refused by the service's Content-Security-Policy (no inline script).
            page.evaluate(AXE_SOURCE())
            result = page.evaluate(
                "async () => await axe.run(document, {resultTypes: ['violations']})"
            )
        except PlaywrightError as exc:
            if "context was destroyed" in str(exc) or "navigat" in str(exc):
                continue
            raise
        return result["violations"]
    raise AssertionError(f"the page kept navigating; axe could not run on {page.url}")


@pytest.fixture
def assert_accessible():
    def _assert(page):
        violations = axe_violations(page)
        summary = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in violations
        ]
        assert violations == [], f"axe violations on {page.url}:\n" + json.dumps(summary, indent=2)

    return _assert


@pytest.fixture
def after_the_morning_meeting():
    """The tests book meetings at 09:30 today and then record their outcome, which the service
    allows from the meeting's start. Before 10:00 (London) the clock moves forward to 10:00 the
    same day, in every thread (the live server's too); from 10:00 on, nothing moves. Only
    forward, so the browser's cookies never look expired."""
    now = timezone.localtime()
    ten = now.replace(hour=10, minute=0, second=0, microsecond=0)
    if now >= ten:
        yield
        return
    with time_machine.travel(ten, tick=True):
        yield
