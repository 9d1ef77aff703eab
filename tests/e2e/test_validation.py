"""A team manager types nonsense into the child form: each field is refused with a message that
names it, in the error summary and beside the field, and what was typed stays in the boxes."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from iro.models import Child
from iro.roles import Role
from tests.iro.factories import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


def test_the_child_form_names_each_bad_field_and_keeps_what_was_typed(
    page, live_server, sign_in, assert_accessible
):
    manager = make_user(Role.TEAM_MANAGER, username="e2e-validation-manager")
    sign_in(page, manager)
    page.goto(f"{live_server.url}/children/new/")
    page.get_by_label("LA child ID").fill("../../etc")
    page.get_by_label("Unique pupil number").fill("A12345678901X")
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Brook")
    birth = page.locator("#id_date_of_birth_fieldset, fieldset:has(#id_date_of_birth_0)").first
    birth.get_by_label("Day").fill("1")
    birth.get_by_label("Month").fill("1")
    birth.get_by_label("Year").fill("2099")
    page.get_by_role("button", name="Save child").click()
    page.wait_for_load_state("domcontentloaded")

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The LA child ID must use only letters, digits and hyphens")
    expect(summary).to_contain_text("check letter is wrong")
    expect(summary).to_contain_text("The date of birth must be today or in the past")
    expect(page.get_by_label("LA child ID")).to_have_value("../../etc")
    expect(page.get_by_label("Unique pupil number")).to_have_value("A12345678901X")
    expect(birth.get_by_label("Year")).to_have_value("2099")
    assert_accessible(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "child-form-refused.png"), full_page=True)
    assert not Child.objects.filter(first_name="Ada").exists()
