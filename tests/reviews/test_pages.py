"""Review pages: who can reach them, and the forms' behaviour with good and bad input."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from iro.models import AccessLog, Meeting
from reviews.models import Review, ReviewStatus
from tests.iro.factories import CareEpisodeFactory
from tests.reviews.factories import ReviewFactory, at, booked_review

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


@pytest.fixture
def due(child):
    return ReviewFactory(child=child, due_date=today() + timedelta(days=40))


@pytest.fixture
def booked(child, iro_allocated):
    return booked_review(
        chair=iro_allocated, child=child, starts_at=at(today() + timedelta(days=3))
    )


@pytest.fixture
def held(child, iro_allocated):
    from tests.reviews.factories import held_review

    return held_review(chair=iro_allocated, child=child, held_on=today() - timedelta(days=2))


REVIEW_PAGES = {
    "reviews:detail": "due",
    "reviews:book": "due",
    "reviews:preparation": "due",
    "reviews:reschedule": "booked",
    "reviews:cancel": "booked",
    "reviews:outcome": "booked",
    "reviews:milestones": "held",
    "reviews:recommendation_add": "held",
}
CHANGE_PAGES = [name for name in REVIEW_PAGES if name != "reviews:detail"]


@pytest.mark.parametrize("url_name", list(REVIEW_PAGES))
def test_the_allocated_iro_and_the_team_manager_can_open_every_review_page(
    url_name, request, login, iro_allocated, team_manager
):
    review = request.getfixturevalue(REVIEW_PAGES[url_name])
    for user in (iro_allocated, team_manager):
        response = login(user).get(reverse(url_name, args=[review.pk]))
        assert response.status_code == 200, (url_name, user)


@pytest.mark.parametrize("url_name", list(REVIEW_PAGES))
def test_another_iro_cannot_see_a_review_of_a_child_not_theirs(url_name, request, login, iro_other):
    review = request.getfixturevalue(REVIEW_PAGES[url_name])
    assert login(iro_other).get(reverse(url_name, args=[review.pk])).status_code == 404


@pytest.mark.parametrize("url_name", list(REVIEW_PAGES))
@pytest.mark.parametrize("persona", ["board_member", "head_of_service", "administrator"])
def test_roles_without_reviews_cannot_open_review_pages(url_name, persona, request, login):
    review = request.getfixturevalue(REVIEW_PAGES[url_name])
    user = request.getfixturevalue(persona)
    response = login(user).get(reverse(url_name, args=[review.pk]))
    assert response.status_code == 403
    assert review.child.last_name not in response.content.decode()


@pytest.mark.parametrize("url_name", CHANGE_PAGES)
def test_a_performance_officer_can_read_but_not_change_reviews(
    url_name, request, login, performance_officer
):
    review = request.getfixturevalue(REVIEW_PAGES[url_name])
    assert login(performance_officer).get(reverse(url_name, args=[review.pk])).status_code == 403
    assert (
        login(performance_officer).post(reverse(url_name, args=[review.pk]), {}).status_code == 403
    )


def test_opening_a_review_is_written_to_the_access_log(login, iro_allocated, due):
    login(iro_allocated).get(reverse("reviews:detail", args=[due.pk]))
    assert AccessLog.objects.filter(user=iro_allocated, child=due.child).count() == 1


@pytest.mark.parametrize(
    "url_name",
    ["reviews:child", "reviews:contact_add", "reviews:midway_add", "reviews:monitoring_add"],
)
def test_child_pages_answer_404_outside_reach_and_403_to_board_members(
    url_name, login, child, iro_other, board_member, iro_allocated
):
    url = reverse(url_name, args=[child.pk])
    assert login(iro_other).get(url).status_code == 404
    assert login(board_member).get(url).status_code == 403
    assert login(iro_allocated).get(url).status_code == 200


def test_a_performance_officer_sees_the_childs_reviews_but_cannot_record_visits(
    login, child, performance_officer
):
    assert (
        login(performance_officer).get(reverse("reviews:child", args=[child.pk])).status_code == 200
    )
    for name in ("reviews:contact_add", "reviews:midway_add", "reviews:monitoring_add"):
        assert login(performance_officer).get(reverse(name, args=[child.pk])).status_code == 403


@pytest.mark.parametrize("persona", ["board_member", "head_of_service", "administrator"])
def test_roles_without_reviews_cannot_open_the_review_list(persona, request, login):
    assert login(request.getfixturevalue(persona)).get(reverse("reviews:list")).status_code == 403


def test_my_reviews_lists_only_my_childrens_reviews(login, iro_allocated, iro_other, due):
    other = ReviewFactory(due_date=today() + timedelta(days=5))
    body = login(iro_allocated).get(reverse("reviews:list")).content.decode()
    assert due.child.la_child_id in body
    assert other.child.la_child_id not in body
    assert (
        due.child.la_child_id not in login(iro_other).get(reverse("reviews:list")).content.decode()
    )


def _book_data(user, day, **extra):
    data = {
        "chair": user.pk,
        "meeting_date_0": day.day,
        "meeting_date_1": day.month,
        "meeting_date_2": day.year,
        "start_time": "10:00",
        "duration": "90",
        "venue_type": "school",
        "venue_detail": "Room 4",
        "late_reason": "",
        "confirm_time": "on",  # days here are relative to today: a weekend is confirmed
    }
    data.update(extra)
    return data


def test_booking_on_the_page_books_the_meeting(login, iro_allocated, due):
    day = due.due_date - timedelta(days=7)
    response = login(iro_allocated).post(
        reverse("reviews:book", args=[due.pk]), _book_data(iro_allocated, day)
    )
    assert response.status_code == 302
    due.refresh_from_db()
    assert due.status == ReviewStatus.BOOKED
    assert timezone.localtime(due.meeting.starts_at).hour == 10
    assert due.meeting.venue_detail == "Room 4"


def test_booking_after_the_due_date_without_a_reason_shows_the_error_and_keeps_the_input(
    login, iro_allocated, due
):
    day = due.due_date + timedelta(days=3)
    response = login(iro_allocated).post(
        reverse("reviews:book", args=[due.pk]),
        _book_data(iro_allocated, day, venue_detail="Room 9"),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Give the reason for holding it after its due date" in body
    assert 'href="#id_late_reason"' in body
    assert 'value="Room 9"' in body
    assert not Meeting.objects.exists()


def test_missing_fields_link_from_the_summary_to_inputs_that_exist(login, iro_allocated, due):
    response = login(iro_allocated).post(
        reverse("reviews:book", args=[due.pk]), {"chair": iro_allocated.pk}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_venue_type_1"' in body and 'id="id_venue_type_1"' in body
    assert 'href="#id_meeting_date_0"' in body and 'id="id_meeting_date_0"' in body


def test_recording_a_pn0_for_an_older_child_shows_the_error_and_writes_nothing(
    login, iro_allocated, booked
):
    # The outcome is recorded once the meeting has started (it is offered from its start).
    traveller = time_machine.travel(booked.meeting.starts_at + timedelta(hours=1), tick=False)
    traveller.start()
    day = timezone.localdate(booked.meeting.starts_at) - timedelta(days=5)
    data = {
        "held_on_0": day.day, "held_on_1": day.month, "held_on_2": day.year,
        "participation": "PN0", "child_attended": "yes", "parents_attended": "no",
        "actual_venue": "office", "mode": "in_person", "child_seen_before": "yes",
        "childs_views_considered": "yes", "safeguarding_issue": "no",
    }  # fmt: skip
    response = login(iro_allocated).post(reverse("reviews:outcome", args=[booked.pk]), data)
    assert response.status_code == 400
    assert "PN0 is only for a child under 4" in response.content.decode()
    booked.refresh_from_db()
    assert booked.status == ReviewStatus.BOOKED
    data["participation"] = "PN1"
    assert (
        login(iro_allocated).post(reverse("reviews:outcome", args=[booked.pk]), data).status_code
        == 302
    )
    traveller.stop()
    booked.refresh_from_db()
    assert (booked.status, booked.participation, booked.held_on) == ("held", "PN1", day)


def test_cancelling_on_the_page_needs_a_reason(login, iro_allocated, booked, child):
    CareEpisodeFactory(child=child, start=booked.period_start)
    url = reverse("reviews:cancel", args=[booked.pk])
    assert login(iro_allocated).post(url, {"reason": ""}).status_code == 400
    assert login(iro_allocated).post(url, {"reason": "Child unwell"}).status_code == 302
    from reviews.rules import first_review_due

    again = Review.objects.get(child=child, status="due")
    assert again.due_date == first_review_due(booked.period_start)


def test_rescheduling_on_the_page_lists_team_managers_to_agree(
    login, iro_allocated, team_manager, booked
):
    body = (
        login(iro_allocated).get(reverse("reviews:reschedule", args=[booked.pk])).content.decode()
    )
    assert f'value="{team_manager.pk}"' in body


def test_a_monitoring_check_form_keeps_answers_when_issues_are_missing(login, iro_allocated, child):
    d = today()
    data = {
        "checked_on_0": d.day, "checked_on_1": d.month, "checked_on_2": d.year,
        "plan_up_to_date": "no", "plan_smart": "yes", "assessment_current": "yes",
        "voice_of_child": "yes", "issues_found": "",
    }  # fmt: skip
    response = login(iro_allocated).post(reverse("reviews:monitoring_add", args=[child.pk]), data)
    assert response.status_code == 400
    assert "Describe the issues found" in response.content.decode()
    data["issues_found"] = "Plan last updated a year ago"
    assert (
        login(iro_allocated)
        .post(reverse("reviews:monitoring_add", args=[child.pk]), data)
        .status_code
        == 302
    )
    assert child.monitoring_checks.get().issues_found == "Plan last updated a year ago"


def test_navigation_shows_my_reviews_to_iros_and_schedule_to_team_managers(
    login, iro_allocated, team_manager
):
    iro_nav = [i["label"] for i in login(iro_allocated).get("/").context["primary_nav"]]
    tm_nav = [i["label"] for i in login(team_manager).get("/").context["primary_nav"]]
    assert "My reviews" in iro_nav and "Schedule" not in iro_nav
    assert "Schedule" in tm_nav and "My reviews" not in tm_nav


def test_the_review_list_query_count_does_not_grow_with_rows(
    login, iro_allocated, django_assert_max_num_queries
):
    from tests.iro.factories import AllocationFactory, ChildFactory

    def add(n):
        for i in range(n):
            c = ChildFactory()
            AllocationFactory(child=c, iro=iro_allocated)
            if i % 2:
                booked_review(
                    chair=iro_allocated, child=c, starts_at=at(today() + timedelta(days=i + 1))
                )
            else:
                ReviewFactory(child=c, due_date=today() + timedelta(days=i))

    client = login(iro_allocated)
    add(3)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("reviews:list"))
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("reviews:list"))
    assert response.context["page"].paginator.count == 23


def test_visits_and_midway_reviews_are_recorded_from_the_childs_page(login, iro_allocated, child):
    client = login(iro_allocated)
    d = today()
    day = {"_0": d.day, "_1": d.month, "_2": d.year}
    response = client.post(
        reverse("reviews:contact_add", args=[child.pk]),
        {**{f"contact_on{k}": v for k, v in day.items()}, "kind": "visit", "seen_alone": "yes"},
    )
    assert response.status_code == 302
    midway = {
        **{f"held_on{k}": v for k, v in day.items()},
        "plan_on_track": "no",
        "recommendations_progressing": "yes",
    }
    response = client.post(reverse("reviews:midway_add", args=[child.pk]), midway)
    assert response.status_code == 400
    assert "Say what is off track" in response.content.decode()
    midway["notes"] = "Placement search delayed"
    assert client.post(reverse("reviews:midway_add", args=[child.pk]), midway).status_code == 302
    body = client.get(reverse("reviews:child", args=[child.pk])).content.decode()
    assert "Visit in person by Alice Adeyemi, seen alone" in body
    assert "Placement search delayed" in body


def test_team_managers_see_every_review_on_the_list_by_default(login, team_manager, due):
    other = ReviewFactory(due_date=today() + timedelta(days=5))
    response = login(team_manager).get(reverse("reviews:list"))
    assert {r.pk for r, _ in response.context["rows"]} == {due.pk, other.pk}


def test_a_recommendation_is_marked_done_from_the_review(
    login, iro_allocated, iro_other, held, performance_officer
):
    from reviews.services import recommendation_add

    rec = recommendation_add(
        review=held,
        text="Update the PEP",
        owner="Virtual school",
        target_date=today() + timedelta(days=30),
    )
    url = reverse("reviews:recommendation_done", args=[held.pk, rec.pk])
    assert login(iro_other).post(url).status_code == 404
    assert login(performance_officer).post(url).status_code == 403
    assert login(iro_allocated).get(url).status_code == 405
    assert login(iro_allocated).post(url).status_code == 302
    rec.refresh_from_db()
    assert rec.completed_on == today()


def test_the_child_record_section_template_renders_the_next_review_and_history(
    rf, iro_allocated, held, child
):
    from django.template.loader import render_to_string

    from reviews.panels import child_section

    upcoming = ReviewFactory(child=child, due_date=today() + timedelta(days=60), sequence="second")
    request = rf.get("/")
    request.user = iro_allocated
    panel = child_section(request, child)
    html = render_to_string(panel.template, {"panel": panel.context}, request=request)
    assert "Second review, due by" in html
    assert reverse("reviews:detail", args=[upcoming.pk]) in html
    assert reverse("reviews:detail", args=[held.pk]) in html
