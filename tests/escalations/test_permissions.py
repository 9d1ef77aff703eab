"""Every role against every page and endpoint of the escalations app.

The IRP in `world` was raised by iro_allocated about their child and sits at stage 2, addressed
to head_of_service; responder_not_named is another head of service.
"""

import pytest
from django.urls import reverse

from escalations.models import Escalation, EscalationEvent

ROLES = [
    "iro_allocated",
    "iro_other",
    "team_manager",
    "head_of_service",
    "responder_not_named",
    "performance_officer",
    "board_member",
    "administrator",
]


def expect(**by_role):
    """Expected status for each role; roles not named get `other`."""
    other = by_role.pop("other")
    return [(role, by_role.get(role, other)) for role in ROLES]


PAGES = {
    "home": (
        lambda w: reverse("escalations:home"),
        expect(
            iro_allocated=302,
            iro_other=302,
            team_manager=302,
            head_of_service=302,
            responder_not_named=302,
            other=403,
        ),
    ),
    "queue": (
        lambda w: reverse("escalations:queue"),
        expect(head_of_service=200, responder_not_named=200, other=403),
    ),
    "mine": (
        lambda w: reverse("escalations:mine"),
        expect(iro_allocated=200, iro_other=200, other=403),
    ),
    "all": (
        lambda w: reverse("escalations:all"),
        expect(team_manager=200, head_of_service=200, responder_not_named=200, other=403),
    ),
    "new_irp": (
        lambda w: reverse("escalations:new"),
        expect(iro_allocated=200, iro_other=200, other=403),
    ),
    "new_concern": (
        lambda w: reverse("escalations:concern_new"),
        expect(iro_allocated=200, iro_other=200, other=403),
    ),
    "concern": (
        lambda w: reverse("escalations:concern", args=[w["concern"].pk]),
        expect(iro_allocated=200, iro_other=404, team_manager=200, other=403),
    ),
    "irp": (
        lambda w: reverse("escalations:detail", args=[w["irp"].pk]),
        expect(
            iro_allocated=200,
            iro_other=404,
            team_manager=200,
            head_of_service=200,
            # Heads of service oversee every open IRP, named on it or not.
            responder_not_named=200,
            other=403,
        ),
    ),
    "respond_page": (
        lambda w: reverse("escalations:respond_page", args=[w["irp"].pk]),
        expect(head_of_service=200, other=403),
    ),
}


@pytest.mark.parametrize(
    ("page", "role", "status"),
    [(page, role, status) for page, (_, table) in PAGES.items() for role, status in table],
)
def test_page_access_by_role(page, role, status, all_personas, world, login):
    url = PAGES[page][0](world)
    response = login(all_personas[role]).get(url)
    assert response.status_code == status


@pytest.mark.parametrize("page", list(PAGES))
def test_signed_out_visitors_are_sent_to_sign_in(page, world, client):
    response = client.get(PAGES[page][0](world))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def out_of_sight_or_forbidden(action: str, role: str) -> int:
    """404 where the role may take the action but the IRP is out of the user's sight, else 403."""
    responder_action = action.endswith("respond")
    if not responder_action and role == "iro_other":
        return 404
    return 403


ACTIONS = {
    "respond": ({"respond-response": "Done", "respond-resolved": "no"}, "head_of_service"),
    "escalate": ({"escalate-note": "Up"}, "iro_allocated"),
    "resolve": ({"resolve-outcome_quality": "partly_resolved"}, "iro_allocated"),
    "refer_cafcass": ({"refer_cafcass-note": "Cafcass"}, "iro_allocated"),
    "withdraw": ({"withdraw-note": "Error"}, "iro_allocated"),
}


@pytest.mark.parametrize(
    ("action", "role"),
    [(a, r) for a, (_, allowed) in ACTIONS.items() for r in ROLES if r != allowed],
)
def test_no_one_but_the_named_actor_can_take_a_page_action(
    action, role, all_personas, world, login
):
    data, _ = ACTIONS[action]
    irp = world["irp"]
    response = login(all_personas[role]).post(reverse(f"escalations:{action}", args=[irp.pk]), data)
    assert response.status_code == out_of_sight_or_forbidden(action, role)
    irp.refresh_from_db()
    assert irp.status == "awaiting_response"
    assert EscalationEvent.objects.filter(escalation=irp).count() == 1


def test_only_the_raising_iro_resolves_a_concern(all_personas, world, login):
    concern = world["concern"]
    url = reverse("escalations:concern", args=[concern.pk])
    assert login(all_personas["team_manager"]).post(url, {"outcome": "x"}).status_code == 403
    assert login(all_personas["iro_other"]).post(url, {"outcome": "x"}).status_code == 404
    concern.refresh_from_db()
    assert concern.status == "open"


# --- API ------------------------------------------------------------------------------------

API_READS = {
    "concern-list": (
        lambda w: reverse("concern-list"),
        expect(iro_allocated=200, iro_other=200, team_manager=200, other=403),
    ),
    "concern-detail": (
        lambda w: reverse("concern-detail", args=[w["concern"].pk]),
        expect(iro_allocated=200, iro_other=404, team_manager=200, other=403),
    ),
    "escalation-list": (
        lambda w: reverse("escalation-list"),
        expect(
            iro_allocated=200,
            iro_other=200,
            team_manager=200,
            head_of_service=200,
            responder_not_named=200,
            other=403,
        ),
    ),
    "escalation-detail": (
        lambda w: reverse("escalation-detail", args=[w["irp"].pk]),
        expect(
            iro_allocated=200,
            iro_other=404,
            team_manager=200,
            head_of_service=200,
            responder_not_named=200,
            other=403,
        ),
    ),
}

LIST_COUNTS = {
    "iro_allocated": 1,
    "iro_other": 0,
    "team_manager": 1,
    "head_of_service": 1,
    "responder_not_named": 1,  # every open IRP
}


@pytest.mark.parametrize(
    ("endpoint", "role", "status"),
    [(e, role, status) for e, (_, table) in API_READS.items() for role, status in table],
)
def test_api_read_access_by_role(endpoint, role, status, all_personas, world, login):
    response = login(all_personas[role]).get(API_READS[endpoint][0](world))
    assert response.status_code == status
    if endpoint == "escalation-list" and status == 200:
        assert response.json()["count"] == LIST_COUNTS[role]


API_ACTIONS = {
    "escalation-respond": ({"response": "Done"}, "head_of_service"),
    "escalation-escalate": ({"stage": 3, "responder": 0}, "iro_allocated"),
    "escalation-resolve": ({"outcome_quality": "partly_resolved"}, "iro_allocated"),
    "escalation-refer-cafcass": ({"note": "x"}, "iro_allocated"),
    "escalation-withdraw": ({"note": "x"}, "iro_allocated"),
}


@pytest.mark.parametrize(
    ("endpoint", "role"),
    [(e, r) for e, (_, allowed) in API_ACTIONS.items() for r in ROLES if r != allowed],
)
def test_api_actions_refuse_everyone_but_the_named_actor(
    endpoint, role, all_personas, world, login
):
    data, _ = API_ACTIONS[endpoint]
    irp = world["irp"]
    response = login(all_personas[role]).post(
        reverse(endpoint, args=[irp.pk]), data, content_type="application/json"
    )
    assert response.status_code == out_of_sight_or_forbidden(endpoint, role)
    irp.refresh_from_db()
    assert irp.status == "awaiting_response"


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("iro_allocated", "iro_other")])
def test_api_create_is_for_iros_only(role, all_personas, world, login):
    client = login(all_personas[role])
    before = Escalation.objects.count()
    assert (
        client.post(reverse("escalation-list"), {}, content_type="application/json").status_code
        == 403
    )
    assert (
        client.post(reverse("concern-list"), {}, content_type="application/json").status_code == 403
    )
    assert Escalation.objects.count() == before


@pytest.mark.parametrize(
    ("role", "perms"),
    [
        ("iro_allocated", {"add_concern", "view_concern", "add_escalation", "view_escalation"}),
        ("team_manager", {"view_concern", "view_escalation", "view_all_escalations"}),
        ("head_of_service", {"view_escalation", "respond_escalation"}),
        ("performance_officer", set()),
        ("board_member", set()),
    ],
)
def test_each_role_group_holds_exactly_the_declared_escalation_permissions(
    role, perms, all_personas
):
    user = all_personas[role]
    held = {p.split(".", 1)[1] for p in user.get_all_permissions() if p.startswith("escalations.")}
    assert held == perms


@pytest.mark.parametrize("role", ROLES)
def test_the_escalations_navigation_item_shows_only_to_escalation_roles(role, all_personas, login):
    body = login(all_personas[role]).get("/").content.decode()
    shown = f'href="{reverse("escalations:home")}"' in body
    assert shown is (
        role
        in {"iro_allocated", "iro_other", "team_manager", "head_of_service", "responder_not_named"}
    )


def test_a_social_work_team_manager_sees_only_the_irps_addressed_to_them(world, login):
    """Social work team managers answer IRPs at stage 1 (the Escalation responder role).
    Oversight of every open IRP is for heads of service and above, not for them: an IRP about a
    child they have nothing to do with is hidden on every page and in the API."""
    from iro.models import ResponderLevel
    from tests.escalations.factories import make_responder

    # Fixed names: the page shows the signed-in user's name, which must not match the child's.
    outsider = make_responder(
        ResponderLevel.SW_TEAM_MANAGER, username="swtm", first_name="Sol", last_name="Outis"
    )
    client = login(outsider)
    irp = world["irp"]
    assert client.get(reverse("escalations:detail", args=[irp.pk])).status_code == 404
    assert client.get(f"/api/escalations/{irp.pk}/").status_code == 404
    assert client.get("/api/escalations/").json()["count"] == 0
    page = client.get(reverse("escalations:all"))
    assert page.status_code == 200
    assert reverse("escalations:detail", args=[irp.pk]) not in page.content.decode()
    child = irp.children.first()
    assert child.first_name not in page.content.decode()
    assert child.la_child_id not in page.content.decode()
