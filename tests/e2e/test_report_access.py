"""A performance officer reads the CP-14 panel list in the annual report and the records behind
it: a restricted child is counted but shows as one line, "1 record outside your access"."""

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from iro.roles import Role
from tests.iro.factories import AllocationFactory, ChildFactory, make_user
from tests.protection.factories import ProtectionPlanFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


def test_a_restricted_child_is_counted_but_not_named_in_the_report(
    page, live_server, sign_in, assert_accessible
):
    iro = make_user(Role.IRO, username="e2e-iro3", first_name="Ian", last_name="Reid")
    officer = make_user(
        Role.PERFORMANCE_OFFICER, username="e2e-po3", first_name="Pat", last_name="Owens"
    )
    for la_id, first, restricted in (("C0000101", "Olwen", False), ("C0000202", "Saffron", True)):
        child = ChildFactory(la_child_id=la_id, first_name=first, restricted=restricted)
        AllocationFactory(child=child, iro=iro)
        ProtectionPlanFactory(child=child, start=date(2024, 6, 1), chair=iro)

    sign_in(page, officer)
    page.goto(f"{live_server.url}/reporting/annual/2025/#figure-CP-14")
    figure = page.locator('.app-report-figure[data-figure="CP-14"]')
    figure.locator("details summary").click()
    expect(figure).to_contain_text("C0000101")
    expect(figure).to_contain_text("1 record outside your access")
    expect(figure).not_to_contain_text("C0000202")
    expect(figure).not_to_contain_text("Saffron")
    figure.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(exist_ok=True)
    figure.screenshot(path=str(SCREENSHOTS / "report-cp14-hidden.png"))
    figure.get_by_role("link", name="2").first.click()
    expect(page.get_by_test_id("hidden-count")).to_have_text("1 record outside your access")
    expect(page.locator("main")).not_to_contain_text("C0000202")
    assert_accessible(page)
    page.screenshot(path=str(SCREENSHOTS / "report-cp14-rows.png"), full_page=True)
