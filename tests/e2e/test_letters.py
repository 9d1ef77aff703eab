"""Writing to the child in a real browser: an IRO writes their profile for children, opens a
child's "my IRO" letter, records a review's outcome and writes the record to the child with the
readability score shown as they write. axe on every page; screenshots at 375 and 1280 pixels
wide (E2E_SCREENSHOTS)."""

import io
import os
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from iro.models import AllocationRole
from iro.roles import Role
from iro.services.allocations import allocation_allocate
from letters.models import ChildRecord, IroProfile, MyIroLetter
from tests.iro.factories import CareEpisodeFactory, ChildFactory, make_user
from tests.reviews.factories import booked_review

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", tempfile.gettempdir()))


def _shots(page, name: str) -> None:
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 400), (40, 110, 190)).save(out, format="PNG")
    return out.getvalue()


def test_an_iro_writes_their_profile_opens_a_letter_and_writes_to_the_child(
    page, live_server, sign_in, assert_accessible, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    iro = make_user(Role.IRO, username="e2e-iro", first_name="Ivy", last_name="Okafor")
    child = ChildFactory(first_name="Sam", last_name="Ellis", date_of_birth=date(2018, 3, 1))
    start = today - timedelta(days=60)
    CareEpisodeFactory(child=child, start=start)
    allocation_allocate(child=child, iro=iro, role=AllocationRole.CLA, start=start)
    letter = MyIroLetter.objects.get(child=child)
    review = booked_review(
        chair=iro,
        child=child,
        starts_at=timezone.now() - timedelta(minutes=30),
        due_date=today + timedelta(days=5),
        period_start=start,
    )

    # The profile, from the home page.
    sign_in(page, iro)
    page.get_by_role("link", name="Edit my profile for children").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save my profile").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter who you are")
    assert_accessible(page)
    page.get_by_label("Who I am").fill("I am Ivy. I love dogs and swimming.")
    page.get_by_label("What I do").fill("I check that your plan is right for you.")
    page.get_by_label("How to reach me").fill("Phone me on 0161 496 0002, Monday to Friday.")
    page.get_by_label("Photo (optional)").set_input_files(
        {"name": "ivy.png", "mimeType": "image/png", "buffer": _photo()}
    )
    page.get_by_role("button", name="Save my profile").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("profile")
    expect(page.get_by_alt_text("Your photo as children see it")).to_be_visible()
    assert_accessible(page)
    _shots(page, "letters-profile")
    assert IroProfile.objects.get(user=iro).photo

    # The child's "my IRO" letter, from the child's record.
    page.goto(f"{live_server.url}/children/{child.pk}/")
    section = page.get_by_test_id("child-letters-section")
    section.get_by_role("link", name='Open "my IRO" letter').click()
    the_letter = page.get_by_test_id("my-iro-letter")
    expect(the_letter).to_contain_text("Hello Sam, I am your IRO")
    expect(the_letter).to_contain_text("I love dogs and swimming")
    expect(page.get_by_role("link", name="Download as Word")).to_be_visible()
    assert page.url.endswith(f"/letters/children/{child.pk}/my-iro/{letter.pk}/")
    assert_accessible(page)
    _shots(page, "letters-my-iro")
    page.emulate_media(media="print")
    assert page.locator(".moj-header").is_hidden()
    page.screenshot(path=str(SCREENSHOTS / "letters-my-iro-print.png"), full_page=True)
    page.emulate_media(media="screen")

    # The outcome, then the record written to the child.
    page.goto(f"{live_server.url}/reviews/{review.pk}/outcome/")
    page.check("#id_participation_2")  # PN1
    page.check("#id_child_attended_1")
    page.check("#id_parents_attended_2")
    page.check("#id_child_seen_before_1")
    page.check("#id_childs_views_considered_1")
    page.check("#id_safeguarding_issue_2")
    assert_accessible(page)
    page.get_by_role("button", name="Save and write to the child").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record written to Sam")
    field = page.get_by_label("Record written to the child")
    expect(field).to_have_value(__import__("re").compile("^Dear Sam,"))
    readability = page.get_by_test_id("readability")
    expect(readability).to_contain_text("Reading ease")
    assert_accessible(page)
    field.fill(
        "Dear Sam,\n\nWe met today. You told me you like your school and your new bike. "
        "We agreed you will see your mum every week."
    )
    # The score follows the writing (the script asks the server as the IRO types).
    expect(readability).to_contain_text("easy to read")
    page.get_by_role("button", name="Check readability").click()
    expect(readability).to_contain_text("Reading ease")
    assert_accessible(page)
    _shots(page, "letters-record")
    page.get_by_role("button", name="Finish the record").click()
    expect(page.get_by_test_id("record-status")).to_contain_text("Finished")
    assert_accessible(page)
    record = ChildRecord.objects.get(review=review)
    assert record.status == "finished"
    assert record.reading_ease > 70
    review.refresh_from_db()
    assert review.record_completed_on == today
