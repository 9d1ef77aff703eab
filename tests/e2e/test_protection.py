"""An IRO books and records an ICPC that starts a plan; the first review conference is then due
three months later. Every page on the way passes axe."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from iro.models import AllocationRole
from iro.roles import Role
from iro.rules import add_months
from protection import services
from tests.iro.factories import AllocationFactory, ChildFactory, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_iro_records_an_icpc_that_starts_a_plan_and_the_review_is_due_in_3_months(
    after_the_morning_meeting, page, live_server, sign_in, assert_accessible
):
    iro = make_user(Role.IRO, username="e2e-iro", first_name="Alice", last_name="Adeyemi")
    child = ChildFactory(first_name="Jamie", last_name="Smith", la_child_id="C900777")
    AllocationFactory(child=child, iro=iro, role=AllocationRole.CP)
    today = timezone.localdate()
    services.strategy_discussion_record(
        child=child,
        held_on=today - timedelta(days=3),
        s47_started=True,
        s47_started_on=today - timedelta(days=3),
    )
    sign_in(page, iro)

    page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name="My conferences"
    ).click()
    assert_accessible(page)
    page.get_by_role("link", name="Jamie Smith").click()
    expect(page.locator("h1")).to_have_text("Initial child protection conference")
    assert_accessible(page)

    page.get_by_role("link", name="Book the conference").click()
    page.locator("#id_day_0").fill(str(today.day))
    page.locator("#id_day_1").fill(str(today.month))
    page.locator("#id_day_2").fill(str(today.year))
    page.get_by_label("Start time").fill("00:30")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    # Half past midnight is out of hours: a warning, and a box to confirm the time.
    expect(page.locator(".govuk-error-summary")).to_contain_text("00:30 is outside office hours")
    assert_accessible(page)
    page.get_by_label("Yes, book the meeting at this time").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Booked", exact=True).first).to_be_visible()

    page.get_by_role("link", name="Record the outcome").click()
    page.get_by_label("Child protection plan", exact=True).check()
    page.get_by_label("Decisions and recommendations").fill("Plan agreed")
    page.get_by_role("button", name="Save").click()
    # A plan needs a category: the error is shown and what was typed is kept.
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert page.get_by_label("Decisions and recommendations").input_value() == "Plan agreed"
    assert_accessible(page)
    page.get_by_label("Category of abuse (for a child protection plan)").select_option("NEG")
    page.get_by_role("button", name="Save").click()
    # The date held is filled in from the meeting.
    expect(page.get_by_test_id("outcome")).to_have_text("Child protection plan (Neglect)")
    assert_accessible(page)

    page.get_by_role("link", name="Child protection history").click()
    page.get_by_role("link", name=f"{today:%-d %b %Y}").click()
    expect(page.get_by_test_id("plan-start")).to_have_text(f"{today:%-d %B %Y}")
    due = add_months(today, 3)
    expect(page.get_by_test_id("review-due")).to_have_text(f"{due:%-d %B %Y}")
    assert_accessible(page)

    page.goto(f"{live_server.url}/protection/plans/")
    expect(page.get_by_test_id("plans").get_by_role("link", name="Jamie Smith")).to_be_visible()
    assert_accessible(page)
