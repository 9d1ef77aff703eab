"""API: the same rules as the pages (400 with field errors), scoped to the children a user may see."""

from datetime import date

import pytest

from protection.models import Conference, ConferenceKind, ProtectionPlan
from tests.protection.factories import at, book, icpc_due_for, plan_from_icpc

pytestmark = pytest.mark.django_db


def test_an_iro_records_a_strategy_discussion_through_the_api(login, iro_allocated, child):
    response = login(iro_allocated).post(
        "/api/strategy-discussions/",
        {
            "child": child.pk,
            "held_on": "2025-04-10",
            "s47_started": True,
            "s47_started_on": "2025-04-10",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    icpc = Conference.objects.get(pk=response.json()["icpc"])
    assert icpc.due == date(2025, 5, 6)


def test_the_api_answers_400_with_field_errors(login, iro_allocated, child):
    response = login(iro_allocated).post(
        "/api/strategy-discussions/",
        {"child": child.pk, "held_on": "2025-04-10", "s47_started": True},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"s47_started_on": ["Enter the date section 47 enquiries started."]}


def test_a_child_outside_reach_cannot_be_given_a_strategy_discussion(login, iro_other, child):
    response = login(iro_other).post(
        "/api/strategy-discussions/",
        {"child": child.pk, "held_on": "2025-04-10", "s47_started": False},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "child" in response.json()


def test_book_and_record_outcome_through_the_api_start_a_plan(login, iro_allocated, child):
    icpc = icpc_due_for(child)
    client = login(iro_allocated)
    response = client.post(
        f"/api/conferences/{icpc.pk}/book/",
        {
            "chair": iro_allocated.pk,
            "starts_at": at(date(2025, 5, 1)).isoformat(),
            "venue_type": "office",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "booked"
    response = client.post(
        f"/api/conferences/{icpc.pk}/record_outcome/",
        {"held_on": "2025-05-01", "outcome": "cp_plan"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"category": ["Choose the category of abuse for the plan."]}
    response = client.post(
        f"/api/conferences/{icpc.pk}/record_outcome/",
        {
            "held_on": "2025-05-01",
            "outcome": "cp_plan",
            "category": "NEG",
            "parents_attended": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    plan = ProtectionPlan.objects.get(child=child)
    data = client.get(f"/api/cp-plans/{plan.pk}/").json()
    assert data["start"] == "2025-05-01"
    assert data["next_review_due"] == "2025-08-01"


def test_rescheduling_through_the_api_needs_a_head_of_service(
    login, iro_allocated, child, head_of_service
):
    icpc = icpc_due_for(child)
    book(icpc, iro_allocated, date(2025, 4, 29))
    client = login(iro_allocated)
    payload = {
        "starts_at": at(date(2025, 5, 2)).isoformat(),
        "reason": "Chair ill",
        "agreed_by": iro_allocated.pk,
    }
    response = client.post(
        f"/api/conferences/{icpc.pk}/reschedule/", payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert "agreed_by" in response.json()
    payload["agreed_by"] = head_of_service.pk
    response = client.post(
        f"/api/conferences/{icpc.pk}/reschedule/", payload, content_type="application/json"
    )
    assert response.status_code == 200


def test_plans_filter_by_duration(login, team_manager, iro_allocated, child):
    plan_from_icpc(child, iro_allocated, held_on=date(2025, 5, 1))
    client = login(team_manager)
    assert client.get("/api/cp-plans/", {"on": "2025-06-30"}).json()["count"] == 1
    assert client.get("/api/cp-plans/", {"on": "2025-06-30", "min_months": 15}).json()["count"] == 0
    assert client.get("/api/cp-plans/", {"on": "2026-08-01", "min_months": 15}).json()["count"] == 1


def test_ending_a_plan_through_the_api_cancels_the_review(login, iro_allocated, child):
    plan = plan_from_icpc(child, iro_allocated)
    response = login(iro_allocated).post(
        f"/api/cp-plans/{plan.pk}/end/",
        {"end": "2025-06-02", "reason": "moved"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["end"] == "2025-06-02"
    assert Conference.objects.get(kind=ConferenceKind.RCPC).status == "cancelled"


ENDPOINTS = ["/api/strategy-discussions/", "/api/conferences/", "/api/cp-plans/"]


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize("role", ["board_member", "administrator", "head_of_service"])
def test_roles_without_protection_work_are_refused(url, role, personas, login):
    assert login(personas[role]).get(url).status_code == 403


@pytest.mark.parametrize("url", ENDPOINTS)
def test_the_api_needs_sign_in(url, client):
    assert client.get(url).status_code in (401, 403)


def test_a_performance_officer_reads_but_cannot_write(
    login, performance_officer, iro_allocated, child
):
    icpc = icpc_due_for(child)
    client = login(performance_officer)
    assert client.get(f"/api/conferences/{icpc.pk}/").status_code == 200
    response = client.post(
        f"/api/conferences/{icpc.pk}/cancel/", {"reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_an_iro_gets_404_for_a_conference_or_plan_of_a_child_out_of_reach(
    login, iro_other, iro_allocated, child
):
    plan = plan_from_icpc(child, iro_allocated)
    rcpc = Conference.objects.get(kind=ConferenceKind.RCPC)
    client = login(iro_other)
    assert client.get(f"/api/conferences/{rcpc.pk}/").status_code == 404
    assert client.get(f"/api/cp-plans/{plan.pk}/").status_code == 404
    response = client.post(
        f"/api/conferences/{rcpc.pk}/cancel/", {"reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert client.get("/api/conferences/").json()["count"] == 0
    assert client.get("/api/strategy-discussions/").json()["count"] == 0


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize("rows", [3, 20])
def test_api_lists_run_a_constant_number_of_queries(
    url, login, team_manager, iro_allocated, rows, django_assert_max_num_queries
):
    from tests.iro.factories import ChildFactory

    for n in range(rows):
        plan_from_icpc(ChildFactory(), iro_allocated, held_on=date(2025, 4, 14 + n % 10))
    client = login(team_manager)
    with django_assert_max_num_queries(10):
        response = client.get(url, {"on": "2025-06-30"})
    # Each child has a discussion, a plan and two conferences (the ICPC held, the first review due).
    per_child = 2 if url == "/api/conferences/" else 1
    assert response.json()["count"] == rows * per_child
