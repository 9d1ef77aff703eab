"""The password reset link an administrator sends: the person opens it in a browser, chooses a
password on the GOV.UK page (accessible, errors summarised) and signs in with it."""

import os

import pytest
from playwright.sync_api import expect

from iro.models import User
from iro.roles import Role
from iro.services.accounts import password_reset_url
from tests.iro.factories import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_reset_link_lets_the_person_choose_a_password(
    page, live_server, settings, assert_accessible
):
    person = make_user(Role.BOARD_MEMBER, username="e2e-reset", email="reset@example.gov.uk")
    settings.SITE_URL = live_server.url
    page.goto(password_reset_url(person))
    expect(page.locator("h1")).to_have_text("Choose a new password")
    assert_accessible(page)
    page.fill("#id_new_password1", "short")
    page.fill("#id_new_password2", "short")
    page.get_by_role("button", name="Save password").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    if os.environ.get("E2E_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["E2E_SCREENSHOTS"], "reset-error.png"))
    page.fill("#id_new_password1", "a-long-new-password-7")
    page.fill("#id_new_password2", "a-long-new-password-7")
    page.get_by_role("button", name="Save password").click()
    expect(page.locator("h1")).to_have_text("Password saved")
    assert_accessible(page)
    assert User.objects.get(pk=person.pk).check_password("a-long-new-password-7")
    page.get_by_role("link", name="Sign in").click()
    page.fill("#id_username", "e2e-reset")
    page.fill("#id_password", "a-long-new-password-7")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Dashboards")
