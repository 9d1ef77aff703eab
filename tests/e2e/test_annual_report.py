"""The annual report as its readers meet it: the performance officer's first screen says how
the service is doing in sentences, with no raw code anywhere on the page (tables and charts
included); the head of service writes a section's commentary from the report and reads it in
place; a board member reaches neither the live report nor the commentary (they read published
snapshots, tests/qa/access_matrix.py). Screenshots at 375 px and 1,280 px wide."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from iro.codes import code_values
from iro.roles import Role
from reporting.models import ReportCommentary
from tests.iro.factories import make_user
from tests.reporting import care_dataset, staff_dataset

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "/tmp"))
YEAR = 2024
URL = f"/reporting/annual/{YEAR}/"
LONG_CODES = {c for c in code_values() if len(c) >= 2 and not c.isdigit()}
CODES = {c for c in code_values() if not c.isdigit()}


def _raw_codes(page) -> set[str]:
    """Codes in the page's whole text (closed details included) and whole cells or chart labels."""
    text = page.evaluate("document.querySelector('main').textContent")
    found = {t for t in re.findall(r"\b[A-Z0-9]{2,6}\b", text) if t in LONG_CODES}
    cells = page.evaluate(
        "Array.from(document.querySelectorAll('main td, main th, main svg text'))"
        ".map(e => e.textContent.trim())"
    )
    return found | {c for c in cells if c in CODES}


@pytest.fixture
def report_data(transactional_db):
    care_dataset.build()
    staff_dataset.build()


@pytest.mark.parametrize("width", [1280, 375])
def test_performance_officer_first_screen_answers_how_the_service_is_doing(
    width, page, live_server, sign_in, assert_accessible, report_data
):
    officer = make_user(Role.PERFORMANCE_OFFICER, username=f"e2e-perf-{width}")
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, officer)
    page.goto(live_server.url + URL)
    summary = page.get_by_test_id("summary")
    expect(summary.get_by_role("heading", level=2)).to_have_text("How the service did in 2024/25")
    # The first headline is on the first screen, in words with its numbers.
    first = summary.locator("li").first
    expect(first).to_have_text(re.compile(r"^\d[\d,]* child(ren)? (was|were) looked after"))
    assert first.bounding_box()["y"] + first.bounding_box()["height"] <= 900
    expect(page.get_by_role("navigation", name="Contents")).to_contain_text("Reviews")
    page.screenshot(path=str(SCREENSHOTS / f"annual-first-screen-{width}.png"))
    # Detail is one click away, closed at first.
    figure = page.locator("#figure-CLA-07")
    expect(figure.locator("table").first).to_be_hidden()
    figure.locator("details summary").click()
    expect(figure.locator("table").first).to_be_visible()
    expect(figure).to_contain_text("White: British")
    assert _raw_codes(page) == set()
    figure.screenshot(path=str(SCREENSHOTS / f"annual-figure-CLA-07-{width}.png"))
    # Nothing wider than the screen (charts scale; wide tables scroll inside their box).
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)


def test_head_of_service_writes_the_commentary_from_the_report(
    page, live_server, sign_in, assert_accessible, report_data
):
    head = make_user(Role.HEAD_OF_SERVICE, username="e2e-head")
    sign_in(page, head)
    page.goto(live_server.url + URL)
    expect(page.get_by_test_id("summary")).to_be_visible()
    section = page.locator("#section-reviews")
    section.get_by_role("link", name="Write the commentary for this section").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Commentary: Reviews")
    assert_accessible(page)
    page.get_by_label("Commentary").fill("x" * 5001)
    page.get_by_role("button", name="Save commentary").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("5,000 characters or fewer")
    assert_accessible(page)
    page.get_by_label("Commentary").fill("Nearly every review was on time.\n\nWe will do better.")
    page.get_by_role("button", name="Save commentary").click()
    commentary = page.get_by_test_id("commentary-reviews")
    expect(commentary).to_contain_text("Nearly every review was on time.")
    expect(commentary.locator("p")).to_have_count(2)
    assert ReportCommentary.objects.get(year=YEAR, section_key="reviews").updated_by == head
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("#section-reviews").screenshot(path=str(SCREENSHOTS / "annual-commentary.png"))
    assert_accessible(page)


def test_board_member_reaches_neither_the_live_report_nor_its_commentary(
    page, live_server, sign_in
):
    board = make_user(Role.BOARD_MEMBER, username="e2e-board")
    sign_in(page, board)
    for path in (URL, f"{URL}commentary/reviews/", f"{URL}json/"):
        response = page.goto(live_server.url + path)
        assert response.status == 403
        expect(page.locator("main")).not_to_contain_text("How the service did")
