"""Each role signs in through the browser, lands on its home page, sees only its navigation."""

import pytest
from playwright.sync_api import expect

from iro.roles import Role
from tests.iro.factories import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# role -> (home heading, navigation labels that must show, labels that must not)
EXPECTED = {
    Role.IRO: ("My work", {"Home", "Children"}, {"Administration"}),
    Role.TEAM_MANAGER: ("Schedule and caseloads", {"Home", "Children"}, {"Administration"}),
    Role.HEAD_OF_SERVICE: ("Escalation queue", {"Home"}, {"Administration"}),
    Role.ESCALATION_RESPONDER: (
        "Escalation queue",
        {"Home", "Children", "Escalations"},
        {"Reports", "Administration"},
    ),
    Role.PERFORMANCE_OFFICER: ("Reports", {"Home", "Children"}, {"Administration"}),
    Role.BOARD_MEMBER: ("Dashboards", {"Home"}, {"Children", "Administration"}),
    Role.ADMINISTRATOR: ("Administration", {"Home", "Administration"}, {"Children", "Access log"}),
    Role.INFORMATION_GOVERNANCE: (
        "Information governance",
        {"Home", "Access log"},
        {"Children", "Administration"},
    ),
}


@pytest.mark.parametrize("role", list(EXPECTED), ids=lambda r: r.value)
def test_role_signs_in_lands_home_and_sees_only_its_navigation(
    page, live_server, sign_in, assert_accessible, role
):
    heading, shown, hidden = EXPECTED[role]
    user = make_user(role, username=f"e2e-{role.value}", first_name="Sam", last_name="Taylor")
    sign_in(page, user)

    expect(page.locator("h1")).to_have_text(heading)
    nav = page.get_by_role("navigation", name="Primary navigation")
    labels = set(nav.get_by_role("link").all_inner_texts())
    assert shown <= labels, labels
    assert not (hidden & labels), labels
    assert_accessible(page)


def test_sign_in_page_is_accessible_and_shows_errors(page, live_server, assert_accessible):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize(("width", "gutter"), [(375, 15), (800, 30), (1100, 30), (1440, 120)])
def test_the_wide_page_keeps_its_gutters_at_every_window_width(page, live_server, width, gutter):
    """The page, header, navigation and footer share a 1200px container: it keeps GOV.UK's
    gutters below that width and is centred above it (it once touched the window's edges from
    1020px to 1260px)."""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/accounts/login/")
    for selector in (
        ".app-width-container--wide",
        ".moj-header__container",
        ".govuk-footer > .govuk-width-container",
    ):
        box = page.locator(selector).first.bounding_box()
        assert round(box["x"]) == gutter, (selector, box)
        assert round(box["x"] + box["width"]) == width - gutter, (selector, box)
