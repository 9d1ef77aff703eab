"""The reviews API: scoped lists, filters, and actions validated as the forms are."""

from datetime import timedelta

import pytest
from django.utils import timezone

from iro.rules import add_working_days
from reviews.models import ReviewStatus
from tests.iro.factories import CareEpisodeFactory
from tests.reviews.factories import ReviewFactory, at, booked_review

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


@pytest.fixture
def due(child):
    return ReviewFactory(child=child, due_date=today() + timedelta(days=40))


def test_an_iro_lists_only_reviews_of_children_they_can_see(login, iro_allocated, iro_other, due):
    ReviewFactory(due_date=today() + timedelta(days=3))
    data = login(iro_allocated).get("/api/reviews/").json()
    assert [r["id"] for r in data["results"]] == [due.pk]
    assert data["results"][0]["booking_deadline"]
    assert login(iro_other).get("/api/reviews/").json()["count"] == 0
    assert login(iro_other).get(f"/api/reviews/{due.pk}/").status_code == 404


def test_team_managers_filter_reviews(login, team_manager, due):
    other = ReviewFactory(due_date=today() + timedelta(days=3))
    client = login(team_manager)
    assert client.get("/api/reviews/").json()["count"] == 2
    ids = [
        r["id"]
        for r in client.get(f"/api/reviews/?la_child_id={other.child.la_child_id}").json()[
            "results"
        ]
    ]
    assert ids == [other.pk]
    after = (today() + timedelta(days=10)).isoformat()
    assert [r["id"] for r in client.get(f"/api/reviews/?due_after={after}").json()["results"]] == [
        due.pk
    ]


@pytest.mark.parametrize("persona", ["board_member", "head_of_service", "administrator"])
def test_roles_without_reviews_get_403_from_the_api(persona, request, login, due):
    client = login(request.getfixturevalue(persona))
    assert client.get("/api/reviews/").status_code == 403
    assert client.get(f"/api/reviews/{due.pk}/").status_code == 403
    assert (
        client.post(f"/api/reviews/{due.pk}/book/", {}, content_type="application/json").status_code
        == 403
    )


def test_a_performance_officer_reads_but_cannot_act(login, performance_officer, due):
    client = login(performance_officer)
    assert client.get(f"/api/reviews/{due.pk}/").status_code == 200
    for action in ("book", "reschedule", "cancel", "record_outcome"):
        assert (
            client.post(
                f"/api/reviews/{due.pk}/{action}/", {}, content_type="application/json"
            ).status_code
            == 403
        )


def test_signed_out_callers_are_refused(client, due):
    assert client.get("/api/reviews/").status_code in (401, 403)


def test_booking_through_the_api_gives_the_same_field_errors_as_the_form(login, iro_allocated, due):
    client = login(iro_allocated)
    # A working day after the due date: at a weekend or on a bank holiday the time warning
    # would come first (as on 31 October 2027, when due + 2 days was a Sunday).
    late_day = add_working_days(due.due_date, 2).isoformat()
    response = client.post(
        f"/api/reviews/{due.pk}/book/",
        {
            "chair": iro_allocated.pk,
            "meeting_date": late_day,
            "start_time": "10:00",
            "venue_type": "office",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Give the reason for holding it after its due date" in response.json()["late_reason"][0]
    response = client.post(
        f"/api/reviews/{due.pk}/book/",
        {"meeting_date": "31-02-2030"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert {"chair", "meeting_date", "start_time", "venue_type"} <= set(response.json())
    good_day = (due.due_date - timedelta(days=7)).isoformat()
    response = client.post(
        f"/api/reviews/{due.pk}/book/",
        {
            "chair": iro_allocated.pk,
            "meeting_date": good_day,
            "start_time": "10:00",
            "venue_type": "virtual",
            "confirm_time": True,  # the day may fall at a weekend
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == ReviewStatus.BOOKED
    assert body["meeting"]["venue_type"] == "virtual"


def test_record_outcome_reschedule_and_cancel_through_the_api(
    login, iro_allocated, team_manager, child
):
    CareEpisodeFactory(child=child, start=today() - timedelta(days=30))
    review = booked_review(
        chair=iro_allocated, child=child, starts_at=at(today() + timedelta(days=2))
    )
    client = login(iro_allocated)
    response = client.post(
        f"/api/reviews/{review.pk}/reschedule/",
        {"meeting_date": (today() + timedelta(days=3)).isoformat(), "start_time": "11:00",
         "venue_type": "home", "reason": "Carer ill", "agreed_by": iro_allocated.pk},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400 and "agreed_by" in response.json()
    response = client.post(
        f"/api/reviews/{review.pk}/reschedule/",
        {"meeting_date": (today() + timedelta(days=3)).isoformat(), "start_time": "11:00",
         "venue_type": "home", "reason": "Carer ill", "agreed_by": team_manager.pk,
         "confirm_time": True},  # the day may be a weekend: the client confirms the time
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    outcome = {
        "held_on": today().isoformat(), "participation": "PN0", "child_attended": True,
        "parents_attended": False, "actual_venue": "home", "mode": "in_person",
        "child_seen_before": True, "childs_views_considered": True, "safeguarding_issue": False,
    }  # fmt: skip
    response = client.post(
        f"/api/reviews/{review.pk}/record_outcome/", outcome, content_type="application/json"
    )
    assert response.status_code == 400
    assert "PN0 is only for a child under 4" in response.json()["participation"][0]
    outcome["participation"] = "PN6"
    response = client.post(
        f"/api/reviews/{review.pk}/record_outcome/", outcome, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["in_timescale"]) == ("held", True)
    response = client.post(
        f"/api/reviews/{review.pk}/cancel/", {"reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "Only a booked review" in response.json()["non_field_errors"][0]
