"""The submit button of a form disables itself after the first press (static/js/submit-once.js)."""

import pytest
from playwright.sync_api import expect

from iro.roles import Role
from tests.iro.factories import AllocationFactory, ChildFactory, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_concern_forms_button_is_disabled_after_the_first_press(page, live_server, sign_in):
    iro = make_user(Role.IRO, username="e2e-once", first_name="Ona", last_name="Price")
    AllocationFactory(child=ChildFactory(first_name="Kit", last_name="Lowe"), iro=iro)
    sign_in(page, iro)
    page.goto(f"{live_server.url}/escalations/concerns/new/")
    button = page.get_by_role("button", name="Save concern")
    expect(button).to_be_enabled()
    # Hold the form on the page (as a slow network would) to see the button after the press.
    page.evaluate(
        "document.querySelector('form[method=post]:not([action*=logout])')"
        ".addEventListener('submit', (event) => event.preventDefault())"
    )
    button.click()
    expect(button).to_be_disabled()
    expect(button).to_have_attribute("aria-disabled", "true")
