"""Who cannot reach which page or endpoint: 403 for a role without it, 404 for a child out of reach."""

from datetime import date

import pytest
from django.urls import reverse

from protection.models import Conference, ConferenceKind
from tests.iro.factories import AllocationFactory, ChildFactory
from tests.protection.factories import book, icpc_due_for, plan_from_icpc

pytestmark = pytest.mark.django_db

ROLES = [
    "iro_allocated",
    "iro_other",
    "team_manager",
    "head_of_service",
    "performance_officer",
    "board_member",
    "administrator",
]

# page name -> (object it takes, roles allowed). iro_other is allowed the role but not the child.
PAGES = {
    "my_conferences": (None, {"iro_allocated", "iro_other"}),
    "plan_list": (None, {"iro_allocated", "iro_other", "team_manager", "performance_officer"}),
    "plan_detail": ("plan", {"iro_allocated", "team_manager", "performance_officer"}),
    "plan_end": ("plan", {"iro_allocated", "team_manager"}),
    "core_group_add": ("plan", {"iro_allocated", "team_manager"}),
    "conference_detail": ("due", {"iro_allocated", "team_manager", "performance_officer"}),
    "conference_book": ("due", {"iro_allocated", "team_manager"}),
    "conference_cancel": ("due", {"iro_allocated", "team_manager"}),
    "conference_reschedule": ("booked", {"iro_allocated", "team_manager"}),
    "conference_outcome": ("booked", {"iro_allocated", "team_manager"}),
    "child": ("child", {"iro_allocated", "team_manager", "performance_officer"}),
    "strategy_discussion_add": ("child2", {"iro_allocated", "team_manager"}),
    "transfer_in_add": ("child2", {"iro_allocated", "team_manager"}),
}
# Roles that hold the permission but may not see this child: the page answers 404.
OUT_OF_REACH = {"iro_other"}


@pytest.fixture
def objects(child, iro_allocated):
    plan = plan_from_icpc(child, iro_allocated)
    booked = Conference.objects.get(kind=ConferenceKind.RCPC)
    book(booked, iro_allocated, date(2025, 7, 30))
    child2 = ChildFactory()
    AllocationFactory(child=child2, iro=iro_allocated)
    due = icpc_due_for(child2)
    child3 = ChildFactory()
    AllocationFactory(child=child3, iro=iro_allocated)
    return {
        "plan": plan.pk,
        "booked": booked.pk,
        "due": due.pk,
        "child": child.pk,
        "child2": child3.pk,
    }


def _cases():
    for name, (kind, allowed) in PAGES.items():
        for role in ROLES:
            yield name, kind, role, role in allowed


@pytest.mark.parametrize(("name", "kind", "role", "allowed"), list(_cases()))
def test_each_page_answers_each_role(name, kind, role, allowed, objects, personas, login):
    args = [objects[kind]] if kind else []
    response = login(personas[role]).get(reverse(f"protection:{name}", args=args))
    if allowed:
        assert response.status_code == 200
    elif kind and role in OUT_OF_REACH:
        assert response.status_code == 404
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ["board_member", "administrator", "head_of_service"])
def test_roles_without_the_permission_cannot_post_to_a_form(role, objects, personas, login):
    response = login(personas[role]).post(
        reverse("protection:strategy_discussion_add", args=[objects["child2"]]),
        {"held_on_0": "1", "held_on_1": "5", "held_on_2": "2025", "s47_started": "no"},
    )
    assert response.status_code == 403
    assert not Conference.objects.filter(child_id=objects["child2"]).exists()


def test_an_iro_cannot_post_an_outcome_for_a_child_outside_their_reach(objects, iro_other, login):
    response = login(iro_other).post(
        reverse("protection:conference_outcome", args=[objects["booked"]]),
        {"held_on_0": "30", "held_on_1": "7", "held_on_2": "2025", "outcome": "nfa"},
    )
    assert response.status_code == 404
    assert Conference.objects.get(pk=objects["booked"]).status == "booked"


def test_nav_shows_my_conferences_to_iros_and_cp_plans_to_team_managers(personas, login):
    iro_page = login(personas["iro_allocated"]).get("/").content.decode()
    manager_page = login(personas["team_manager"]).get("/").content.decode()
    board_page = login(personas["board_member"]).get("/").content.decode()
    assert "My conferences" in iro_page and "CP plans" not in iro_page
    assert "CP plans" in manager_page and "My conferences" not in manager_page
    assert "CP plans" not in board_page and "My conferences" not in board_page
