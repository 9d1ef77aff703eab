"""Keyboard only: no mouse clicks and no filling by script. Every field is reached with Tab,
typed into, chosen with the arrow keys or Space, and every link and button is pressed with Enter.

An IRO signs in, books a review and records its outcome; a head of service resolves an IRP from
the escalation queue. axe finds no violations on any page visited.
"""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from escalations.models import Escalation
from iro.models import ResponderLevel
from iro.roles import Role
from reviews.models import Review
from reviews.services import reviews_recompute
from tests.escalations.factories import raise_irp
from tests.iro.factories import (
    DEFAULT_PASSWORD,
    AllocationFactory,
    CareEpisodeFactory,
    ChildFactory,
    make_user,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAX_TABS = 150


def is_focused(locator) -> bool:
    """The element, or one of the elements (a radio group), has the focus."""
    return locator.evaluate_all(
        "elements => elements.some(element => element === document.activeElement)"
    )


def tab_to(page, locator, *, backwards: bool = False):
    """Press Tab until the element has the focus; fail if it is never reached."""
    locator.first.wait_for(state="attached")
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if is_focused(locator):
            return
    raise AssertionError(f"Tab never reached {locator}")


def press(page, locator, key: str = "Enter"):
    tab_to(page, locator)
    page.keyboard.press(key)


def type_into(page, locator, text: str):
    tab_to(page, locator)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def choose(page, group, option):
    """A radio: Tab into its group, then the arrow keys until the option is selected."""
    tab_to(page, group)
    # Tab lands on the group's checked radio, or on its first: Space selects the focused one,
    # and the arrow keys move through the group, selecting as they go.
    for _ in range(group.count()):
        if option.is_checked():
            break
        page.keyboard.press("Space" if is_focused(option) else "ArrowDown")
    expect(option).to_be_checked()


def select(page, locator, value: str):
    """A select: focus it with Tab and move through the options with the arrow keys."""
    tab_to(page, locator)
    for _ in range(locator.locator("option").count()):
        if locator.input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    assert locator.input_value() == value


def keyboard_sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    type_into(page, page.get_by_label("Username"), user.username)
    type_into(page, page.get_by_label("Password"), DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    # The sign-in page has a heading too: wait for the address to leave it, then the heading.
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("main h1")).to_be_visible()


def test_keyboard_only_iro_books_a_review_and_records_its_outcome(
    after_the_morning_meeting, page, live_server, assert_accessible
):
    today = timezone.localdate()
    iro = make_user(Role.IRO, username="kb-iro", first_name="Ivy", last_name="Okafor")
    child = ChildFactory(first_name="Rowan", last_name="Ellis", la_child_id="C778001")
    CareEpisodeFactory(child=child, start=today - timedelta(days=2))
    AllocationFactory(child=child, iro=iro, start=today - timedelta(days=2))
    review = reviews_recompute(child=child)

    keyboard_sign_in(page, live_server, iro)
    # The first Tab on a page reaches the skip link, and it works.
    page.keyboard.press("Tab")
    assert is_focused(page.get_by_role("link", name="Skip to main content"))
    page.keyboard.press("Enter")
    # The fragment navigation lands after the key press returns: wait for it (up to 5 s).
    expect(page).to_have_url(re.compile(r"#main-content$"))
    assert_accessible(page)

    press(page, page.get_by_test_id("due-unbooked").get_by_role("link", name="Rowan Ellis"))
    expect(page.get_by_role("link", name="Book review")).to_be_visible()
    assert_accessible(page)
    press(page, page.get_by_role("link", name="Book review"))
    expect(page.locator("#id_meeting_date_0")).to_be_visible()
    assert_accessible(page)

    type_into(page, page.locator("#id_meeting_date_0"), str(today.day))
    type_into(page, page.locator("#id_meeting_date_1"), str(today.month))
    type_into(page, page.locator("#id_meeting_date_2"), str(today.year))
    type_into(page, page.locator("#id_start_time"), "09:30")
    choose(page, page.locator("input[name=venue_type]"), page.get_by_label("School"))
    press(page, page.get_by_role("button", name="Book review"))
    expect(page.get_by_test_id("meeting")).to_be_visible()
    assert_accessible(page)
    review.refresh_from_db()
    assert review.status == "booked"

    press(page, page.get_by_role("link", name="Record the outcome"))
    expect(page.locator("#id_participation_2")).to_be_visible()
    assert_accessible(page)
    choose(page, page.locator("input[name=participation]"), page.locator("#id_participation_2"))
    choose(page, page.locator("input[name=child_attended]"), page.locator("#id_child_attended_1"))
    choose(
        page, page.locator("input[name=parents_attended]"), page.locator("#id_parents_attended_2")
    )
    choose(
        page,
        page.locator("input[name=child_seen_before]"),
        page.locator("#id_child_seen_before_1"),
    )
    choose(
        page,
        page.locator("input[name=childs_views_considered]"),
        page.locator("#id_childs_views_considered_1"),
    )
    choose(
        page,
        page.locator("input[name=safeguarding_issue]"),
        page.locator("#id_safeguarding_issue_2"),
    )
    select(page, page.locator("#id_permanence_plan_type"), "long_term_fostering")
    press(page, page.get_by_role("button", name="Record outcome"))
    expect(page.get_by_test_id("held-on")).to_have_text(re.compile("In timescale$"))
    assert_accessible(page)

    review.refresh_from_db()
    assert (review.status, review.participation, review.held_on) == ("held", "PN1", today)
    assert review.permanence_plan_type == "long_term_fostering"
    assert Review.objects.get(child=child, status="due").sequence == "second"


def test_keyboard_only_head_of_service_resolves_an_irp_from_the_queue(
    page, live_server, assert_accessible
):
    iro = make_user(Role.IRO, username="kb-alice", first_name="Alice", last_name="Adeyemi")
    head = make_user(
        Role.HEAD_OF_SERVICE,
        username="kb-harriet",
        first_name="Harriet",
        last_name="Hughes",
        responder_level=ResponderLevel.HEAD_OF_SERVICE,
    )
    child = ChildFactory(first_name="Jamie", last_name="Smith", la_child_id="C778101")
    CareEpisodeFactory(child=child, start=date(2024, 1, 10))
    AllocationFactory(child=child, iro=iro)
    irp = raise_irp(iro=iro, children=[child], responder=head, order=2, on=timezone.localdate())

    keyboard_sign_in(page, live_server, head)
    expect(page.locator("h1")).to_have_text("Escalation queue")
    assert_accessible(page)
    press(page, page.get_by_role("link", name=f"Resolve IRP {irp.pk}").first)
    response = page.get_by_label("Your response")
    expect(response).to_be_visible()
    assert_accessible(page)
    type_into(page, response, "Family finder allocated; matching meeting booked")
    expect(page.get_by_label("Yes, the issue is resolved")).to_be_checked()
    press(page, page.get_by_role("button", name="Send response"))
    expect(page.get_by_text("No escalations are awaiting your response.")).to_be_visible()
    assert_accessible(page)

    irp.refresh_from_db()
    assert (
        irp.status == "resolution_proposed"
        or irp.events.filter(action="propose_resolution", actor=head).exists()
    )
    stage = irp.stages.get(responder=head)
    assert stage.response == "Family finder allocated; matching meeting booked"
    assert stage.proposes_resolution is True
    assert Escalation.objects.count() == 1
