"""The API: raising, the stage actions and their 400s, scoped as the pages."""

from django.urls import reverse

from escalations.models import Concern, Escalation
from tests.escalations.factories import raise_irp


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_an_iro_raises_an_irp_for_siblings_through_the_api(
    iro_allocated, siblings, sw_manager, login
):
    response = post(
        login(iro_allocated),
        reverse("escalation-list"),
        {
            "children": [c.pk for c in siblings],
            "category": "drift_and_delay",
            "summary": "Stalled",
            "outcome_sought": "Plan",
            "stage": 1,
            "responder": sw_manager.pk,
            "raised_on": "2025-12-19",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [c["la_child_id"] for c in body["children"]] == ["C900011", "C900012"]
    assert (body["status"], body["current_stage"], body["process_deadline"]) == (
        "awaiting_response",
        1,
        "2026-01-21",
    )
    assert body["stages"][0]["response_deadline"] == "2025-12-30"
    assert [e["action"] for e in body["events"]] == ["raise"]


def test_bad_input_gets_400_with_field_errors_and_writes_nothing(
    iro_allocated, siblings, head_of_service, login
):
    client = login(iro_allocated)
    response = post(
        client,
        reverse("escalation-list"),
        {
            "children": [siblings[0].pk],
            "category": "practice",
            "summary": "s",
            "outcome_sought": "o",
            "stage": 1,
            "responder": head_of_service.pk,
        },
    )
    assert response.status_code == 400
    assert response.json() == {
        "practice_subcategory": ["Select the kind of practice concern"],
    }
    response = post(client, reverse("escalation-list"), {"children": [], "stage": 9})
    assert response.status_code == 400
    assert {"children", "category", "summary", "outcome_sought", "stage", "responder"} <= set(
        response.json()
    )
    assert Escalation.objects.count() == 0


def test_a_child_out_of_reach_is_an_invalid_choice(iro_other, siblings, sw_manager, login):
    response = post(
        login(iro_other),
        reverse("escalation-list"),
        {
            "children": [siblings[0].pk],
            "category": "other",
            "summary": "s",
            "outcome_sought": "o",
            "stage": 1,
            "responder": sw_manager.pk,
        },
    )
    assert response.status_code == 400
    assert "children" in response.json()


def test_the_stage_actions_through_the_api(
    iro_allocated, siblings, sw_manager, head_of_service, login
):
    irp = raise_irp(iro=iro_allocated, children=siblings, responder=sw_manager)
    iro, responder = login(iro_allocated), login(sw_manager)
    url = lambda name: reverse(f"escalation-{name}", args=[irp.pk])  # noqa: E731
    # Refused transition: nothing to accept yet.
    response = post(iro, url("resolve"), {"outcome_quality": "partly_resolved"})
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert post(responder, url("respond"), {"response": ""}).status_code == 400
    assert post(responder, url("respond"), {"response": "Working on it"}).json()["status"] == (
        "responded"
    )
    response = post(iro, url("escalate"), {"stage": 2, "responder": head_of_service.pk})
    assert response.status_code == 200 and response.json()["current_stage"] == 2
    assert (
        post(login(head_of_service), url("respond"), {"response": "Done", "resolved": True}).json()[
            "status"
        ]
        == "resolution_proposed"
    )
    response = post(iro, url("resolve"), {"outcome_quality": "superficial_compliance"})
    assert response.json()["outcome_quality"] == "superficial_compliance"
    assert [e["action"] for e in response.json()["events"]] == [
        "raise",
        "respond",
        "escalate",
        "propose_resolution",
        "resolve",
    ]


def test_refer_to_cafcass_and_withdraw_through_the_api(iro_allocated, child, sw_manager, login):
    client = login(iro_allocated)
    irp = raise_irp(iro=iro_allocated, children=[child], responder=sw_manager)
    body = post(client, reverse("escalation-refer-cafcass", args=[irp.pk]), {"note": "x"}).json()
    assert body["cafcass_referred"] is True and body["status"] == "referred_to_cafcass"
    response = post(client, reverse("escalation-withdraw", args=[irp.pk]), {"note": ""})
    assert response.status_code == 400 and "note" in response.json()


def test_concerns_through_the_api(iro_allocated, child, login):
    client = login(iro_allocated)
    response = post(
        client,
        reverse("concern-list"),
        {
            "child": child.pk,
            "category": "recording",
            "description": "Case notes missing",
            "raised_with": "Team manager",
            "raised_on": "2025-11-03",
        },
    )
    assert response.status_code == 201
    assert response.json()["plan_context"] == "neither"
    concern_id = response.json()["id"]
    assert post(client, reverse("concern-resolve", args=[concern_id]), {}).status_code == 400
    response = post(client, reverse("concern-resolve", args=[concern_id]), {"outcome": "Fixed"})
    assert response.json()["status"] == "resolved"
    assert Concern.objects.get().outcome == "Fixed"


def test_the_api_lists_are_filtered(world, team_manager, login):
    client = login(team_manager)
    assert client.get(reverse("escalation-list") + "?status=resolved").json()["count"] == 0
    assert client.get(reverse("escalation-list") + "?stage=2").json()["count"] == 1
    assert client.get(reverse("concern-list") + "?category=drift_and_delay").json()["count"] == 1


def test_a_restricted_childs_identity_is_hidden_from_a_responder_in_the_api(
    iro_allocated, child, head_of_service, login
):
    child.restricted = True
    child.save()
    irp = raise_irp(iro=iro_allocated, children=[child], responder=head_of_service, order=2)
    shown = login(iro_allocated).get(reverse("escalation-detail", args=[irp.pk])).json()
    hidden = login(head_of_service).get(reverse("escalation-detail", args=[irp.pk])).json()
    assert (shown["children"][0]["name"], shown["children"][0]["la_child_id"]) == (
        "Jamie Smith",
        "C900001",
    )
    assert (hidden["children"][0]["name"], hidden["children"][0]["la_child_id"]) == (
        "Restricted record",
        "",
    )
