"""The performance officer publishes the board dashboard: picks the month, reads the preview as
the board will see it (small numbers suppressed), then publishes."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from iro.models import ServiceSettings
from iro.roles import Role
from reporting.dashboard_data import last_complete_month
from reporting.models import Snapshot
from tests.iro.factories import CareEpisodeFactory, ChildFactory, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "/tmp"))


def test_performance_officer_previews_then_publishes(page, live_server, sign_in, assert_accessible):
    ServiceSettings.load()  # the row a data migration writes (the flush between tests removes it)
    today = timezone.localdate()
    for i in range(3):  # three children: withheld as c on the board
        CareEpisodeFactory(child=ChildFactory(), start=today - timedelta(days=400 + i))
    officer = make_user(Role.PERFORMANCE_OFFICER, username="e2e-publisher")
    sign_in(page, officer)
    page.goto(f"{live_server.url}{reverse('reporting:snapshot-publish')}")
    assert_accessible(page)
    month = last_complete_month(today)
    page.get_by_label("Board dashboard: the month it covers up to").select_option(
        month.end.isoformat()
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_test_id("preview-caption")).to_have_text("Preview: not yet published")
    cells = page.locator("#figure-CLA-01 table").first.locator("tbody tr").first.locator("td")
    expect(cells.nth(0)).to_have_text("c")
    page.screenshot(path=str(SCREENSHOTS / "publish-preview.png"), full_page=False)
    assert_accessible(page)
    assert Snapshot.objects.count() == 0
    page.get_by_role("button", name="Publish to the board").click()
    expect(page.get_by_test_id("snapshot-caption")).to_contain_text(f"{month.end:%-d %B %Y}")
    assert Snapshot.objects.get().as_at == month.end
