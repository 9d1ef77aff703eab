"""API: scoped by what each user may see, writes validated by the services (400 with fields)."""

from datetime import date

import pytest

from iro.models import Allocation, CareEpisode, Child
from tests.iro.factories import AllocationFactory, CareEpisodeFactory, ChildFactory

ENDPOINTS = ["/api/children/", "/api/episodes/", "/api/allocations/", "/api/caseloads/"]


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize("persona", ["board_member", "administrator"])
def test_board_members_and_administrators_cannot_reach_any_endpoint(
    db, login, personas, url, persona
):
    assert login(personas[persona]).get(url).status_code == 403


def test_anonymous_users_cannot_reach_the_api(db, client):
    assert client.get("/api/children/").status_code in (401, 403)


def test_an_iro_sees_only_their_own_children_and_episodes(
    db, login, iro_allocated, iro_other, child
):
    other = ChildFactory()
    AllocationFactory(child=other, iro=iro_other)
    CareEpisodeFactory(child=child)
    CareEpisodeFactory(child=other)
    client = login(iro_allocated)
    assert [c["id"] for c in client.get("/api/children/").json()["results"]] == [child.pk]
    assert [e["child"] for e in client.get("/api/episodes/").json()["results"]] == [child.pk]
    assert client.get(f"/api/children/{other.pk}/").status_code == 404
    assert [a["child"] for a in client.get("/api/allocations/").json()["results"]] == [child.pk]


def test_an_iro_cannot_see_caseloads_or_allocate(db, login, iro_allocated, iro_other, child):
    client = login(iro_allocated)
    assert client.get("/api/caseloads/").status_code == 403
    response = client.post(
        "/api/allocations/allocate/",
        {"child": child.pk, "iro": iro_other.pk, "role": "cla", "reason": "x"},
    )
    assert response.status_code == 403


def test_an_iro_cannot_record_episodes(db, login, iro_allocated, child):
    response = login(iro_allocated).post(
        "/api/episodes/",
        {
            "child": child.pk,
            "start": "2026-01-05",
            "legal_status": "C2",
            "category_of_need": "N1",
            "placement_type": "U4",
            "placement_provider": "PR1",
        },
    )
    assert response.status_code == 403
    assert not CareEpisode.objects.exists()


def test_starting_care_through_the_api_uses_the_same_rules(db, login, team_manager, child):
    client = login(team_manager)
    bad = client.post(
        "/api/episodes/",
        {
            "child": child.pk,
            "start": "2026-01-05",
            "legal_status": "C2",
            "category_of_need": "N1",
            "placement_type": "U4",
            "placement_provider": "",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "placement_provider" in bad.json()
    retired = client.post(
        "/api/episodes/",
        {
            "child": child.pk,
            "start": "2026-01-05",
            "legal_status": "C2",
            "category_of_need": "N1",
            "placement_type": "H5",
            "placement_provider": "PR4",
        },
        content_type="application/json",
    )
    assert retired.status_code == 400 and "placement_type" in retired.json()
    good = client.post(
        "/api/episodes/",
        {
            "child": child.pk,
            "start": "2026-01-05",
            "legal_status": "C2",
            "category_of_need": "N1",
            "placement_type": "U4",
            "placement_provider": "PR1",
        },
        content_type="application/json",
    )
    assert good.status_code == 201
    assert good.json()["reason_new_episode"] == "S"


def test_change_and_end_care_through_the_api(db, login, team_manager, child):
    CareEpisodeFactory(child=child, start=date(2025, 1, 6))
    client = login(team_manager)
    change = client.post(
        "/api/episodes/change/",
        {"child": child.pk, "on": "2025-05-01", "legal_status": "E1"},
        content_type="application/json",
    )
    assert change.status_code == 201 and change.json()["reason_new_episode"] == "L"
    x1 = client.post(
        "/api/episodes/end/",
        {"child": child.pk, "on": "2025-09-01", "reason_ceased": "X1"},
        content_type="application/json",
    )
    assert x1.status_code == 400 and "reason_ceased" in x1.json()
    end = client.post(
        "/api/episodes/end/",
        {"child": child.pk, "on": "2025-09-01", "reason_ceased": "E11"},
        content_type="application/json",
    )
    assert end.status_code == 200
    assert list(
        CareEpisode.objects.filter(child=child).values_list("reason_ceased", flat=True)
    ) == ["X1", "E11"]


def test_correcting_an_episode_that_would_break_the_period_is_a_400(db, login, team_manager, child):
    CareEpisodeFactory(
        child=child, start=date(2025, 1, 6), end=date(2025, 5, 1), reason_ceased="X1"
    )
    second = CareEpisodeFactory(
        child=child, start=date(2025, 5, 1), reason_new_episode="L", legal_status="E1"
    )
    response = login(team_manager).patch(
        f"/api/episodes/{second.pk}/", {"category_of_need": "N5"}, content_type="application/json"
    )
    assert response.status_code == 400 and "category_of_need" in response.json()


def test_a_team_manager_allocates_through_the_api(db, login, team_manager, iro_other, child):
    client = login(team_manager)
    missing_reason = client.post(
        "/api/allocations/allocate/",
        {"child": child.pk, "iro": iro_other.pk, "role": "cla"},
        content_type="application/json",
    )
    assert missing_reason.status_code == 400 and "reason" in missing_reason.json()
    ok = client.post(
        "/api/allocations/allocate/",
        {"child": child.pk, "iro": iro_other.pk, "role": "cla", "reason": "Balance"},
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert Allocation.objects.get(child=child, end__isnull=True).iro == iro_other


def test_caseloads_through_the_api(db, login, team_manager, iro_allocated, child):
    CareEpisodeFactory(child=child)
    rows = {r["name"]: r for r in login(team_manager).get("/api/caseloads/").json()}
    assert rows["Alice Adeyemi"]["cla"] == 1 and rows["Alice Adeyemi"]["per_fte"] == 1.0


def test_a_performance_officer_creates_a_child_and_a_duplicate_id_is_a_400(
    db, login, performance_officer
):
    client = login(performance_officer)
    data = {
        "la_child_id": "C555",
        "first_name": "Ola",
        "last_name": "Ade",
        "date_of_birth": "2014-02-02",
        "sex": "M",
        "ethnicity": "BAFR",
    }
    assert client.post("/api/children/", data, content_type="application/json").status_code == 201
    again = client.post("/api/children/", data, content_type="application/json")
    assert again.status_code == 400 and "la_child_id" in again.json()
    legacy = client.post(
        "/api/children/",
        {**data, "la_child_id": "C556", "sex": "1"},
        content_type="application/json",
    )
    assert legacy.status_code == 400 and "sex" in legacy.json()
    assert Child.objects.count() == 1


def test_a_restricted_child_is_404_to_a_performance_officer(db, login, performance_officer, child):
    child.restricted = True
    child.save()
    assert login(performance_officer).get(f"/api/children/{child.pk}/").status_code == 404
