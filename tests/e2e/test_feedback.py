"""Feedback after a meeting in a real browser: the IRO records a review's outcome and gets the QR
code; a browser with no sign-in opens the link, answers with the keyboard only at 320 pixels
wide, and the answer is in FB-01 for the year; the link then refuses a second answer; an expired
link explains itself. axe finds nothing on any page of the journey; screenshots at 375 and 1280
pixels wide (E2E_SCREENSHOTS)."""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from feedback.models import FeedbackInvitation, FeedbackResponse, Respondent
from feedback.services import invitation_issue
from iro.roles import Role
from reporting.figures import Period
from tests.iro.factories import AllocationFactory, CareEpisodeFactory, ChildFactory, make_user
from tests.reviews.factories import at, booked_review

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", tempfile.gettempdir()))


def shots(page, name: str) -> None:
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"feedback-{name}-{width}.png"), full_page=True)


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Presses Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_child_answers_after_their_review_and_it_counts_in_fb01(
    page, browser, live_server, sign_in, assert_accessible
):
    today = timezone.localdate()
    team_iro = make_user(Role.IRO, username="e2e-iro", first_name="Ivy", last_name="Okafor")
    child = ChildFactory(first_name="Rowan", last_name="Ellis", la_child_id="C777001")
    start = today - timedelta(days=30)
    CareEpisodeFactory(child=child, start=start)
    AllocationFactory(child=child, iro=team_iro, start=start)
    now = timezone.localtime()
    review = booked_review(
        chair=team_iro,
        child=child,
        starts_at=at(today, max(now.hour - 1, 0)),
        due_date=today + timedelta(days=5),
        period_start=start,
        parents_invited=True,
    )

    # The IRO records the outcome, then gets the QR code.
    sign_in(page, team_iro)
    page.goto(f"{live_server.url}/reviews/{review.pk}/outcome/")
    page.check("#id_participation_2")  # PN1
    page.check("#id_child_attended_1")
    page.check("#id_parents_attended_2")
    page.check("#id_child_seen_before_1")
    page.check("#id_childs_views_considered_1")
    page.check("#id_safeguarding_issue_2")
    page.get_by_role("button", name="Record outcome").click()
    expect(page.get_by_test_id("feedback-panel")).to_contain_text("2 of 2 not answered yet")
    assert_accessible(page)
    page.get_by_role("link", name="Get the feedback links and QR codes").click()
    expect(page.get_by_test_id("invitations")).to_contain_text("The child or young person")
    assert_accessible(page)
    shots(page, "invitations")
    page.get_by_test_id("make-link-1").click()
    expect(page.get_by_test_id("qr-code").locator("svg[role=img]")).to_be_visible()
    assert_accessible(page)
    shots(page, "qr-code")
    link = page.get_by_test_id("feedback-link").locator("a").get_attribute("href")
    qr_link = link.replace("?via=link", "?via=qr")
    path = qr_link.split("://", 1)[1].split("/", 1)[1]

    # The parent's link goes by email: a bad address is explained, a good one sends it.
    page.get_by_role("link", name="Back to the feedback invitations").click()
    page.get_by_role("link", name="Send by email or text to a parent or carer").click()
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Email address or mobile phone number").fill("not an address")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email address or mobile phone number").fill("carer@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_text("Link sent by email")).to_be_visible()
    assert_accessible(page)

    # Someone with no sign-in opens it at 320 pixels wide and answers with the keyboard only.
    anonymous = browser.new_context(viewport={"width": 320, "height": 800}).new_page()
    anonymous.goto(f"{live_server.url}/{path}")
    expect(anonymous.get_by_role("heading", level=1)).to_have_text("Tell us about your meeting")
    body = anonymous.content()
    assert "Rowan" not in body and "Ellis" not in body and "C777001" not in body
    assert anonymous.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(anonymous)
    anonymous.get_by_role("link", name="Use the easy version with pictures").click()
    expect(anonymous.locator("svg.app-feedback-icon").first).to_be_visible()
    assert anonymous.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(anonymous)
    tab_to(anonymous, "#id_listened_1")
    anonymous.keyboard.press("Space")  # "Yes, all of the time"
    tab_to(anonymous, "[name=involved]")
    anonymous.keyboard.press("ArrowDown")  # "Some of the time"
    tab_to(anonymous, "[name=plans_discussed]")
    anonymous.keyboard.press("Space")  # "Yes"
    tab_to(anonymous, "#id_anything_else")
    anonymous.keyboard.type("My IRO came to my school and listened")
    tab_to(anonymous, "button[type=submit]")
    shots(anonymous, "easy-form")
    anonymous.keyboard.press("Enter")
    expect(anonymous.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert_accessible(anonymous)
    shots(anonymous, "thanks")
    answer = FeedbackResponse.objects.get()
    assert (answer.listened, answer.involved, answer.plans_discussed) == ("all", "some", "yes")
    assert (answer.channel, answer.easy_read, answer.named) == ("qr", True, False)

    # The link refuses a second answer.
    anonymous.goto(f"{live_server.url}/{path}")
    expect(anonymous.get_by_role("heading", level=1)).to_have_text("This link has been used")
    assert_accessible(anonymous)

    # An expired link (the parent's) explains itself.
    parent = FeedbackInvitation.objects.get(meeting=review.meeting, respondent=Respondent.PARENT)
    token = invitation_issue(invitation=parent)
    FeedbackInvitation.objects.filter(pk=parent.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    anonymous.goto(f"{live_server.url}/have-your-say/{token}/")
    expect(anonymous.get_by_role("heading", level=1)).to_have_text("This link has stopped working")
    assert_accessible(anonymous)
    shots(anonymous, "expired")

    # The IRO reads the answer, anonymised.
    page.goto(f"{live_server.url}/feedback/")
    answer_card = page.get_by_test_id("feedback-answer")
    expect(answer_card).to_contain_text("My IRO came to my school and listened")
    expect(answer_card).not_to_contain_text("Rowan")
    assert_accessible(page)

    # The answer is in FB-01 for the year: one child of one said their IRO listened.
    officer = make_user(Role.PERFORMANCE_OFFICER, username="e2e-perf", first_name="Priya")
    report = browser.new_context().new_page()
    sign_in(report, officer)
    year = Period.containing(today).start.year
    report.goto(f"{live_server.url}/reporting/annual/{year}/")
    report.wait_for_load_state("load")
    # Each figure's tables sit in a details element, closed until opened.
    fb01 = report.locator(".app-report-figure[data-figure=FB-01]")
    fb01.locator("details summary").click()
    cell = fb01.locator("table").first.locator("tbody tr").first.locator("td").first
    assert float(cell.get_attribute("data-value")) == 100.0
    expect(report.locator(".app-report-figure[data-figure=FB-05]")).to_be_visible()
    fb01.scroll_into_view_if_needed()
    fb01.screenshot(path=str(SCREENSHOTS / "feedback-fb01.png"))
    assert_accessible(report)
