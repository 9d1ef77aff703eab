"""The busy page in a browser (issue 34): GOV.UK layout, accessible, no CSP violation, and a
form refused under saturation sent again from it with what was typed."""

import pytest
from django.urls import reverse

from escalations.models import Concern

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_form_refused_when_busy_is_sent_again_from_the_busy_page(
    page, live_server, sign_in, assert_accessible, iro_allocated, child, settings, tmp_path
):
    sign_in(page, iro_allocated)
    url = f"{live_server.url}{reverse('escalations:concern_new')}"
    page.goto(url)
    page.locator("[name=description]").fill("Permanence plan drifting since July")
    settings.ADMISSION_MAX_IN_FLIGHT = 0  # the live server's process is full
    page.locator("form [type=submit]").last.click()
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_role("heading", name="Sorry, the service is busy").is_visible()
    assert page.get_by_text("Permanence plan drifting since July").is_visible()
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "busy.png"), full_page=True)
    assert Concern.objects.count() == 0

    settings.ADMISSION_MAX_IN_FLIGHT = 2  # the surge is over
    page.get_by_role("button", name="Send it again").click()
    page.wait_for_load_state("domcontentloaded")
    # The form itself answers (its other required fields were left blank): the typing is kept.
    assert "busy" not in page.title().lower()
    assert page.locator("[name=description]").input_value() == "Permanence plan drifting since July"
