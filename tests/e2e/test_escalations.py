"""An IRP for two siblings climbs the ladder in the browser and is resolved from the queue."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from escalations.models import Escalation
from iro.models import ResponderLevel
from iro.roles import Role
from tests.iro.factories import (
    AllocationFactory,
    CareEpisodeFactory,
    ChildFactory,
    SiblingGroupFactory,
    make_user,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast(db):
    iro = make_user(Role.IRO, username="alice", first_name="Alice", last_name="Adeyemi")
    stage_one = make_user(
        Role.ESCALATION_RESPONDER,
        username="sam",
        first_name="Sam",
        last_name="Shaw",
        responder_level=ResponderLevel.SW_TEAM_MANAGER,
    )
    head = make_user(
        Role.HEAD_OF_SERVICE,
        username="harriet",
        first_name="Harriet",
        last_name="Hughes",
        responder_level=ResponderLevel.HEAD_OF_SERVICE,
    )
    group = SiblingGroupFactory(name="Smith siblings")
    children = []
    for first, la_id in (("Jamie", "C700001"), ("Jordan", "C700002")):
        child = ChildFactory(
            first_name=first, last_name="Smith", la_child_id=la_id, sibling_group=group
        )
        CareEpisodeFactory(child=child, start=date(2024, 1, 10))
        AllocationFactory(child=child, iro=iro)
        children.append(child)
    return {"iro": iro, "stage_one": stage_one, "head": head, "children": children}


def as_user(page, sign_in, user):
    page.context.clear_cookies()
    sign_in(page, user)


def test_irp_for_two_siblings_is_answered_escalated_and_resolved_from_the_queue(
    page, live_server, sign_in, assert_accessible, cast
):
    url = live_server.url
    jamie, jordan = cast["children"]

    # The IRO raises one IRP for both siblings at stage 1.
    as_user(page, sign_in, cast["iro"])
    page.goto(f"{url}/escalations/new/?child={jamie.pk}")
    assert_accessible(page)
    expect(page.get_by_label("Jamie Smith (C700001)")).to_be_checked()
    page.get_by_label("Jordan Smith (C700002)").check()
    page.get_by_label("Drift and delay").check()
    page.get_by_label("Summary of the issue").fill("Family finding has stalled for six months")
    page.get_by_label("Outcome you seek for the child").fill("A matching plan by the next review")
    page.get_by_label(re.compile(r"Stage 1: Social work team manager")).check()
    page.get_by_label("Named responder").select_option(label="Sam Shaw (Social work team manager)")
    page.get_by_role("button", name="Raise IRP").click()
    expect(page.locator("h1")).to_have_text(re.compile(r"IRP \d+"))
    escalation = Escalation.objects.get()
    assert escalation.children.count() == 2
    assert_accessible(page)

    # The stage 1 responder replies from their queue.
    as_user(page, sign_in, cast["stage_one"])
    page.goto(f"{url}/escalations/queue/")
    assert_accessible(page)
    row = page.get_by_test_id(f"queue-row-{escalation.pk}")
    row.get_by_role("link", name=f"Respond to IRP {escalation.pk}").click()
    expect(page.get_by_label("Your response")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your response").fill("Family finding referral will be made this week")
    page.get_by_label("No, this is my response").check()
    page.get_by_role("button", name="Send response").click()
    expect(page.get_by_text("No escalations are awaiting your response.")).to_be_visible()
    assert_accessible(page)

    # The IRO is not satisfied and escalates to the head of service.
    as_user(page, sign_in, cast["iro"])
    page.goto(f"{url}/escalations/{escalation.pk}/")
    assert_accessible(page)
    form = page.get_by_test_id("form-escalate")
    form.get_by_label(re.compile(r"Stage 2: Head of service")).check()
    form.get_by_label("Named responder").select_option(label="Harriet Hughes (Head of service)")
    form.get_by_label("Why you are escalating").fill("No referral made after a week")
    form.get_by_role("button", name="Escalate").click()
    expect(page.get_by_test_id("status")).to_have_text("Awaiting response")
    assert_accessible(page)

    # The head of service resolves it from the queue on their home page.
    as_user(page, sign_in, cast["head"])
    expect(page.locator("h1")).to_have_text("Escalation queue")
    assert_accessible(page)
    page.get_by_role("link", name=f"Resolve IRP {escalation.pk}").first.click()
    expect(page.get_by_label("Your response")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your response").fill("Family finder allocated; matching meeting booked")
    expect(page.get_by_label("Yes, the issue is resolved")).to_be_checked()
    page.get_by_role("button", name="Send response").click()
    expect(page.get_by_text("No escalations are awaiting your response.")).to_be_visible()

    # The IRO accepts the resolution and records its quality.
    as_user(page, sign_in, cast["iro"])
    page.goto(f"{url}/escalations/{escalation.pk}/")
    form = page.get_by_test_id("form-resolve")
    form.get_by_label("Issue resolved for the child").check()
    form.get_by_label("Resolution").fill("Matching meeting held")
    form.get_by_role("button", name="Accept resolution").click()
    expect(page.get_by_test_id("status")).to_have_text("Resolved")
    expect(page.get_by_test_id("outcome-quality")).to_have_text("Issue resolved for the child")
    assert_accessible(page)

    escalation.refresh_from_db()
    assert (escalation.status, escalation.current_stage.order, escalation.outcome_quality) == (
        "resolved",
        2,
        "resolved_for_child",
    )
    assert list(escalation.events.order_by("pk").values_list("action", flat=True)) == [
        "raise",
        "respond",
        "escalate",
        "propose_resolution",
        "resolve",
    ]
