"""An IRO opens the inbox from the header, follows a reminder to the review, marks all read."""

import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from iro.notifications.models import Notification
from iro.notifications.runner import run_rules
from iro.roles import Role
from iro.rules import add_working_days
from tests.iro.factories import AllocationFactory, CareEpisodeFactory, ChildFactory, make_user
from tests.reviews.factories import ReviewFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_iro_follows_a_reminder_and_marks_all_read(
    page, live_server, sign_in, assert_accessible
):
    iro = make_user(Role.IRO, username="alice", first_name="Alice", last_name="Adeyemi")
    today = timezone.localdate()
    reviews = []
    for first, la_id in (("Jamie", "C800001"), ("Jordan", "C800002")):
        child = ChildFactory(first_name=first, last_name="Smith", la_child_id=la_id)
        CareEpisodeFactory(child=child, start=date(2024, 1, 10))
        AllocationFactory(child=child, iro=iro)
        reviews.append(ReviewFactory(child=child, due_date=add_working_days(today, 12)))
    run_rules("daily")
    assert Notification.objects.filter(recipient=iro).count() == 2

    sign_in(page, iro)
    header_link = page.get_by_test_id("notifications-link")
    expect(page.get_by_test_id("unread-count")).to_have_text(re.compile(r"^2"))
    header_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    assert_accessible(page)
    reminder = page.get_by_role("link", name=re.compile(r"CLA review of Jamie Smith \(C800001\)"))
    expect(reminder).to_be_visible()
    reminder.click()
    page.wait_for_url(f"**/reviews/{reviews[0].pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("review")
    expect(page.get_by_test_id("unread-count")).to_have_text(re.compile(r"^1"))

    page.get_by_test_id("notifications-link").click()
    page.get_by_test_id("mark-all-read").click()
    expect(page.get_by_text("1 notification marked as read.")).to_be_visible()
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
    expect(page.get_by_test_id("notification")).to_have_count(2)
    assert_accessible(page)
    assert not Notification.objects.filter(recipient=iro, read_at__isnull=True).exists()

    page.get_by_role("link", name="Choose which come by email").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Email choices")
    assert_accessible(page)
    # Until the user chooses, the kinds emailed by default are ticked (the due-soon one among
    # them); unticking one and saving keeps the rest.
    due_soon = page.get_by_label("A CLA review is not booked and its booking deadline is near")
    expect(due_soon).to_be_checked()
    page.get_by_label("A child is allocated to you").uncheck()
    page.get_by_role("button", name="Save email choices").click()
    expect(page.get_by_text("Your email choices are saved.")).to_be_visible()
    kinds = iro.notification_preference.email_kinds
    assert "review_booking_soon" in kinds and "allocation_new" not in kinds
