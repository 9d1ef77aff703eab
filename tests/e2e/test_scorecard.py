"""The performance officer reads the scorecard at desktop and phone widths: the latest month is
in view beside the measure, the measure column stays put while the months scroll, and another
month can be picked."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from iro.roles import Role
from reporting.dashboard_data import last_complete_month
from tests.iro.factories import CareEpisodeFactory, ChildFactory, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "/tmp"))


@pytest.mark.parametrize("width", [1280, 375])
def test_scorecard_latest_month_in_view_and_month_picker(
    width, page, live_server, sign_in, assert_accessible
):
    today = timezone.localdate()
    for i in range(7):
        CareEpisodeFactory(child=ChildFactory(), start=today - timedelta(days=500 + i))
    officer = make_user(Role.PERFORMANCE_OFFICER, username=f"e2e-sc-{width}")
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, officer)
    page.goto(f"{live_server.url}{reverse('reporting:scorecard')}")
    latest = last_complete_month(today)
    table = page.locator(".app-scorecard-table")
    first_month = table.locator("thead th").nth(4)
    expect(first_month).to_contain_text(f"{latest.start:%b %Y}")
    measure = table.locator("tbody th.app-scorecard-measure").first
    box = measure.bounding_box()
    page.screenshot(path=str(SCREENSHOTS / f"scorecard-{width}.png"), full_page=False)
    assert_accessible(page)
    # Scrolled to the oldest month, the measure column has not moved.
    page.locator(".app-scroll").evaluate("el => el.scrollLeft = el.scrollWidth")
    after = measure.bounding_box()
    assert abs(after["x"] - box["x"]) < 1
    page.screenshot(path=str(SCREENSHOTS / f"scorecard-{width}-scrolled.png"), full_page=False)
    # Pick the month before.
    before = latest.previous()
    page.get_by_label("Show the 13 months to").select_option(before.label)
    page.get_by_role("button", name="Show").click()
    expect(table.locator("thead th").nth(4)).to_contain_text(f"{before.start:%b %Y}")
    assert page.url.endswith(f"?end={before.label}")
