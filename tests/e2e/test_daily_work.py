"""The daily work in a real browser, with axe on every page and screenshots (E2E_SCREENSHOTS):
a team manager reallocates children from an IRO's caseload in bulk; an IRO's inbox clears as a
review is booked (done view, filter by child); an IRO records the outcome of a meeting that has
started, with the form's prefilled values accepted."""

import os
import re
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from iro.models import Allocation, MeetingStatus
from iro.notifications.models import Notification
from iro.notifications.runner import run_rules
from iro.roles import Role
from iro.rules import add_working_days
from reviews.models import ReviewStatus
from reviews.services.booking import review_book
from tests.iro.factories import (
    AllocationFactory,
    CareEpisodeFactory,
    ChildFactory,
    SiblingGroupFactory,
    make_user,
)
from tests.reviews.factories import ReviewFactory, booked_review

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", tempfile.gettempdir()))


def looked_after(first, last, la_id, iro, sibling_group=None):
    child = ChildFactory(
        first_name=first, last_name=last, la_child_id=la_id, sibling_group=sibling_group
    )
    CareEpisodeFactory(child=child, start=date(2024, 1, 10))
    AllocationFactory(child=child, iro=iro)
    return child


def test_a_manager_reallocates_children_from_a_caseload_in_one_change(
    page, live_server, sign_in, assert_accessible
):
    from tests.iro.factories import TeamFactory

    team = TeamFactory(name="North IRO team")
    manager = make_user(
        Role.TEAM_MANAGER, username="tess", first_name="Tess", last_name="Thompson", team=team
    )
    team.manager = manager
    team.save()
    alice = make_user(
        Role.IRO, username="alice", first_name="Alice", last_name="Adeyemi", team=team
    )
    bob = make_user(Role.IRO, username="bob", first_name="Bob", last_name="Baker", team=team)
    group = SiblingGroupFactory()
    ann = looked_after("Ann", "Cole", "C700001", alice, group)
    ben = looked_after("Ben", "Cole", "C700002", alice, group)
    cat = looked_after("Cat", "Dunn", "C700003", alice)
    dan = looked_after("Dan", "Eyre", "C700004", alice)

    sign_in(page, manager)
    page.goto(f"{live_server.url}/caseloads/{alice.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Caseload of Alice Adeyemi")
    expect(page.get_by_test_id("caseload-child")).to_have_count(4)
    expect(page.get_by_role("cell", name="C700003", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Select Ann Cole (C700001)").check()
    page.get_by_label("Select Cat Dunn (C700003)").check()
    page.get_by_label(re.compile(r"^Bob Baker")).check()
    page.get_by_label("Reason for the change of IRO").fill("Caseload balance")
    page.screenshot(path=str(SCREENSHOTS / "reallocate-select.png"), full_page=True)
    page.get_by_role("button", name="Preview the new caseloads").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check the reallocation")
    expect(page.get_by_test_id("plan-row")).to_have_count(3)  # Ben goes with Ann
    expect(page.get_by_text("Sibling, moves too")).to_be_visible()
    after = page.get_by_test_id("caseload-change")
    expect(after.filter(has_text="Alice Adeyemi")).to_contain_text("4")
    expect(after.filter(has_text="Bob Baker").get_by_test_id("per-fte-after")).to_have_text("3.0")
    assert_accessible(page)
    page.screenshot(path=str(SCREENSHOTS / "reallocate-confirm.png"), full_page=True)
    page.get_by_test_id("confirm-reallocation").click()

    expect(page.get_by_text("3 children reallocated from Alice Adeyemi.")).to_be_visible()
    expect(page.get_by_test_id("caseload-child")).to_have_count(1)
    assert_accessible(page)
    open_to = {a.child_id: a.iro_id for a in Allocation.objects.filter(end__isnull=True)}
    assert open_to == {ann.pk: bob.pk, ben.pk: bob.pk, cat.pk: bob.pk, dan.pk: alice.pk}


def test_an_iros_inbox_clears_and_filters(page, live_server, sign_in, assert_accessible):
    alice = make_user(Role.IRO, username="alice", first_name="Alice", last_name="Adeyemi")
    today = timezone.localdate()
    jamie = looked_after("Jamie", "Smith", "C800001", alice)
    jordan = looked_after("Jordan", "Hart", "C800002", alice)
    due = add_working_days(today, 12)
    jamie_review = ReviewFactory(child=jamie, due_date=due)
    ReviewFactory(child=jordan, due_date=due)
    run_rules("daily")
    assert Notification.objects.filter(recipient=alice).count() == 2
    review_book(
        review=jamie_review,
        chair=alice,
        starts_at=timezone.make_aware(
            timezone.datetime.combine(add_working_days(today, 5), timezone.datetime.min.time())
        )
        + timedelta(hours=10),
        venue_type="office",
        booked_by=alice,
    )
    run_rules("daily")  # Jamie's review is booked: that reminder is done

    sign_in(page, alice)
    page.get_by_test_id("notifications-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.get_by_test_id("notification")).to_have_count(1)
    expect(page.get_by_test_id("notification")).to_contain_text("Jordan Hart (C800002)")
    assert_accessible(page)
    page.get_by_test_id("view-done").click()
    expect(page.get_by_test_id("notification")).to_have_count(1)
    expect(page.get_by_test_id("notification")).to_contain_text("Jamie Smith (C800001)")
    expect(page.get_by_test_id("notification")).to_contain_text("Done")
    assert_accessible(page)
    page.screenshot(path=str(SCREENSHOTS / "inbox-done.png"), full_page=True)

    page.get_by_test_id("view-open").click()
    page.get_by_label("Child").select_option(label="Jamie Smith (C800001)")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("No notification matches these filters.")).to_be_visible()
    page.get_by_label("Child").select_option(label="Jordan Hart (C800002)")
    page.get_by_label("Read or unread").select_option(label="Unread")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_test_id("notification")).to_have_count(1)
    assert_accessible(page)
    page.screenshot(path=str(SCREENSHOTS / "inbox-filtered.png"), full_page=True)
    page.get_by_test_id("mark-done").click()
    expect(page.get_by_text("Notification moved to done.")).to_be_visible()
    expect(page.get_by_test_id("notification")).to_have_count(0)
    expect(page.get_by_test_id("unread-count")).to_have_count(0)


def test_an_iro_records_the_outcome_of_a_meeting_that_has_started(
    page, live_server, sign_in, assert_accessible
):
    alice = make_user(Role.IRO, username="alice", first_name="Alice", last_name="Adeyemi")
    child = looked_after("Jamie", "Smith", "C800001", alice)
    started = timezone.now() - timedelta(minutes=30)
    review = booked_review(chair=alice, child=child, starts_at=started)
    later = booked_review(
        chair=alice,
        child=looked_after("Jordan", "Hart", "C800002", alice),
        starts_at=timezone.now() + timedelta(days=3),
    )

    sign_in(page, alice)
    page.goto(f"{live_server.url}/reviews/{later.pk}/")
    expect(page.get_by_role("link", name="Record the outcome")).to_have_count(0)
    expect(page.get_by_test_id("outcome-from")).to_be_visible()

    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    page.get_by_role("link", name="Record the outcome").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the outcome")
    assert_accessible(page)
    held_day = timezone.localdate(started)
    expect(page.locator("#id_held_on_0")).to_have_value(str(held_day.day))
    page.get_by_role("button", name="Record outcome").click()  # prefilled values as they are
    expect(page.get_by_text("There is a problem")).to_be_visible()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "held" not in summary.lower(), summary  # the prefilled date is accepted
    assert_accessible(page)
    page.screenshot(path=str(SCREENSHOTS / "outcome-form-errors.png"), full_page=True)
    page.get_by_label("PN1").check()
    for name in [
        "child_attended",
        "parents_attended",
        "child_seen_before",
        "childs_views_considered",
    ]:
        page.locator(f"input[name={name}][value=yes]").check()
    page.locator("input[name=safeguarding_issue][value=no]").check()
    page.get_by_role("button", name="Record outcome").click()
    expect(page.get_by_text("Record the outcome: done")).to_be_visible()
    review.refresh_from_db()
    assert (review.status, review.held_on) == (ReviewStatus.HELD, held_day)
    assert review.meeting.status == MeetingStatus.HELD
