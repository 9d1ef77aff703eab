"""An IRO books a review well ahead of its due date and records its outcome; the team manager
sees it on the weekly schedule. Every page passes axe with no violations."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from iro.roles import Role
from iro.rules import is_bank_holiday
from reviews.models import Review
from reviews.services import reviews_recompute
from tests.iro.factories import AllocationFactory, CareEpisodeFactory, ChildFactory, make_user
from tests.reviews.factories import at, booked_review

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_iro_books_and_records_a_review_and_the_team_manager_sees_it_on_the_schedule(
    after_the_morning_meeting, page, browser, live_server, sign_in, assert_accessible
):
    today = timezone.localdate()
    iro = make_user(Role.IRO, username="e2e-iro", first_name="Ivy", last_name="Okafor")
    manager = make_user(Role.TEAM_MANAGER, username="e2e-tm", first_name="Tom", last_name="Marsh")
    child = ChildFactory(first_name="Rowan", last_name="Ellis", la_child_id="C777001")
    CareEpisodeFactory(child=child, start=today - timedelta(days=2))
    AllocationFactory(child=child, iro=iro, start=today - timedelta(days=2))
    review = reviews_recompute(child=child)
    assert (review.due_date - today).days > 14  # the booking is made more than two weeks ahead

    # The IRO's "My work" lists the review to book.
    sign_in(page, iro)
    to_book = page.get_by_test_id("due-unbooked")
    expect(to_book).to_contain_text("Rowan Ellis")
    assert_accessible(page)
    to_book.get_by_role("link", name="Rowan Ellis").click()
    assert_accessible(page)
    page.get_by_role("link", name="Book review").click()

    # A first attempt without a venue shows the error summary; the typed values stay.
    page.fill("#id_meeting_date_0", str(today.day))
    page.fill("#id_meeting_date_1", str(today.month))
    page.fill("#id_meeting_date_2", str(today.year))
    page.fill("#id_start_time", "09:30")
    page.get_by_role("button", name="Book review").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert page.input_value("#id_start_time") == "09:30"
    assert_accessible(page)
    page.get_by_label("School").check()
    confirm = page.get_by_label("Yes, book the meeting at this time")
    if today.weekday() >= 5 or is_bank_holiday(today):  # the weekend warning asks to confirm
        confirm.check()
    page.get_by_role("button", name="Book review").click()
    expect(page.get_by_test_id("meeting")).to_be_visible()
    assert "Late booking" not in page.content()
    assert_accessible(page)

    # The team manager sees it on this week's schedule, under the IRO.
    manager_page = browser.new_context().new_page()
    sign_in(manager_page, manager)
    manager_page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name="Schedule"
    ).click()
    today_table = manager_page.get_by_test_id(f"schedule-{today:%Y-%m-%d}")
    expect(today_table).to_contain_text("Ivy Okafor")
    expect(today_table).to_contain_text("Rowan Ellis (C777001)")
    expect(today_table).to_contain_text("Report not received")
    assert_accessible(manager_page)

    # The IRO records the outcome.
    page.get_by_role("link", name="Record the outcome").click()
    assert page.input_value("#id_held_on_0") == str(today.day)
    page.check("#id_participation_2")  # PN1
    page.check("#id_child_attended_1")
    page.check("#id_parents_attended_2")
    page.check("#id_child_seen_before_1")
    page.check("#id_childs_views_considered_1")
    page.check("#id_safeguarding_issue_2")  # no current safeguarding issue
    page.select_option("#id_permanence_plan_type", "long_term_fostering")
    assert_accessible(page)
    page.get_by_role("button", name="Record outcome").click()
    expect(page.get_by_test_id("held-on")).to_have_text(re.compile(re.escape("In timescale") + "$"))
    assert_accessible(page)

    # The child record shows the history and the next review.
    page.get_by_role("link", name="child record").click()
    section = page.get_by_test_id("child-reviews-section")
    expect(section).to_contain_text("Second review, due by")
    assert_accessible(page)

    review.refresh_from_db()
    assert (review.status, review.participation, review.held_on) == ("held", "PN1", today)
    nxt = Review.objects.get(child=child, status="due")
    assert nxt.sequence == "second"

    manager_page.reload()
    row = manager_page.get_by_test_id(f"schedule-{today:%Y-%m-%d}").get_by_role(
        "row", name=re.compile("C777001")
    )
    expect(row).to_contain_text("Held")
    expect(row).not_to_contain_text("Report not received")
    assert_accessible(manager_page)


def test_the_schedule_s_columns_line_up_from_one_day_to_the_next(page, live_server, sign_in, team):
    """One table a day, with the same column widths whatever each day holds."""
    manager = make_user(Role.TEAM_MANAGER, username="e2e-tm", first_name="Tom", team=team)
    team.manager = manager
    team.save()
    ivy = make_user(Role.IRO, username="e2e-ivy", first_name="Ivy", last_name="Ng", team=team)
    long_name = make_user(
        Role.IRO,
        username="e2e-bart",
        first_name="Bartholomew-Augustin",
        last_name="Featherstonehaugh-Cholmondeley",
        team=team,
    )
    today = timezone.localdate()
    next_monday = today + timedelta(days=7 - today.weekday())
    days = [next_monday, next_monday + timedelta(days=2)]
    booked_review(
        chair=ivy, child=ChildFactory(first_name="Al", last_name="Li"), starts_at=at(days[0], 9)
    )
    booked_review(
        chair=long_name,
        child=ChildFactory(first_name="Maximilian-Alexander", last_name="Worthington-Smythe"),
        starts_at=at(days[1], 14),
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, manager)
    page.goto(f"{live_server.url}/reviews/schedule/")

    def header_edges(day) -> list[int]:
        table = page.get_by_test_id(f"schedule-{day:%Y-%m-%d}")
        expect(table).to_be_visible()
        boxes = [th.bounding_box() for th in table.locator("thead th").all()]
        return [round(box["x"]) for box in boxes] + [round(boxes[-1]["x"] + boxes[-1]["width"])]

    first, second = header_edges(days[0]), header_edges(days[1])
    assert len(first) == 7
    assert first == second
