"""Administrators manage users but cannot give a role that sees children on their own: a second
administrator approves a role change request. Nobody becomes superuser from the web. Every role
change is in the audit log."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from iro.models import AuditEvent, RoleChangeRequest, RoleChangeStatus
from iro.roles import Role, group_name
from tests.iro.factories import make_user

pytestmark = pytest.mark.django_db


def _group(role):
    return Group.objects.get(name=group_name(role))


def _user_form(user, groups, **extra):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": [g.pk for g in groups],
        "job_title": user.job_title,
        "team": user.team_id or "",
        "fte": str(user.fte),
        "line_manager": "",
        "responder_level": user.responder_level,
    }
    data.update(extra)
    return data


def _change_url(user):
    return reverse("admin:iro_user_change", args=[user.pk])


@pytest.mark.parametrize(
    "role",
    [Role.TEAM_MANAGER, Role.IRO, Role.HEAD_OF_SERVICE, Role.PERFORMANCE_OFFICER],
)
def test_an_administrator_cannot_give_themselves_a_role_that_sees_children(
    administrator, login, role
):
    client = login(administrator)
    groups = [_group(Role.ADMINISTRATOR), _group(role)]
    response = client.post(_change_url(administrator), _user_form(administrator, groups))
    assert response.status_code == 200  # the form again, with the error
    assert "another administrator approves" in response.content.decode()
    administrator.refresh_from_db()
    assert set(administrator.groups.values_list("name", flat=True)) == {"Administrator"}
    refused = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_REFUSED)
    assert refused.subject == administrator and refused.actor == administrator


@pytest.mark.parametrize("role", [Role.TEAM_MANAGER, Role.ADMINISTRATOR])
def test_nor_give_it_to_anyone_else(administrator, board_member, login, role):
    response = login(administrator).post(
        _change_url(board_member),
        _user_form(board_member, [_group(Role.BOARD_MEMBER), _group(role)]),
    )
    assert response.status_code == 200
    assert list(board_member.groups.values_list("name", flat=True)) == ["Board member"]


def test_superuser_and_staff_cannot_be_ticked_from_the_web(administrator, board_member, login):
    client = login(administrator)
    page = client.get(_change_url(administrator)).content.decode()
    assert 'name="is_superuser"' not in page and 'name="is_staff"' not in page
    assert 'name="user_permissions"' not in page
    response = client.post(
        _change_url(administrator),
        _user_form(administrator, [_group(Role.ADMINISTRATOR)], is_superuser="on", is_staff="on"),
    )
    assert response.status_code == 302
    administrator.refresh_from_db()
    assert not administrator.is_superuser and not administrator.is_staff


def test_an_administrator_cannot_change_a_superusers_account(administrator, login):
    root = make_user(None, username="root", is_superuser=True, is_staff=True)
    client = login(administrator)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {"password1": "a-new-long-password-1", "password2": "a-new-long-password-1"},
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert not root.check_password("a-new-long-password-1")


def test_a_board_role_needs_no_second_person_and_is_audited(administrator, login):
    newcomer = make_user(None, username="newcomer")
    response = login(administrator).post(
        _change_url(newcomer), _user_form(newcomer, [_group(Role.BOARD_MEMBER)])
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_ADDED, subject=newcomer)
    assert event.detail == "Board member" and event.actor == administrator


def test_removing_a_role_is_direct_and_audited(administrator, iro_other, login):
    response = login(administrator).post(_change_url(iro_other), _user_form(iro_other, []))
    assert response.status_code == 302
    assert not iro_other.groups.exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_REMOVED, subject=iro_other)
    assert event.detail == "IRO" and event.actor == administrator


def _approve(client, change):
    return client.post(
        reverse("admin:iro_rolechangerequest_changelist"),
        {"action": "approve", "_selected_action": [change.pk]},
    )


def test_a_role_change_request_needs_a_second_administrator(administrator, login):
    second = make_user(Role.ADMINISTRATOR, username="second")
    newcomer = make_user(None, username="newcomer")
    first = login(administrator)
    response = first.post(
        reverse("admin:iro_rolechangerequest_add"),
        {"user": newcomer.pk, "role": Role.TEAM_MANAGER, "reason": "New team manager, north"},
    )
    assert response.status_code == 302
    change = RoleChangeRequest.objects.get()
    assert change.requested_by == administrator and change.status == RoleChangeStatus.PENDING
    assert not newcomer.groups.exists()

    _approve(first, change)  # the requester cannot approve their own request
    change.refresh_from_db()
    assert change.status == RoleChangeStatus.PENDING and not newcomer.groups.exists()

    _approve(login(second), change)
    change.refresh_from_db()
    assert change.status == RoleChangeStatus.APPROVED and change.decided_by == second
    assert list(newcomer.groups.values_list("name", flat=True)) == ["IRO team manager"]
    actions = list(
        AuditEvent.objects.filter(subject=newcomer)
        .exclude(action=AuditEvent.Action.ACCOUNT_CREATED)
        .order_by("pk")
        .values_list("action", "actor")
    )
    assert actions == [
        ("role_requested", administrator.pk),
        ("role_approved", second.pk),
        ("role_added", second.pk),
    ]


def test_nobody_approves_a_request_for_themselves(administrator, login):
    second = make_user(Role.ADMINISTRATOR, username="second")
    login(second).post(
        reverse("admin:iro_rolechangerequest_add"),
        {"user": administrator.pk, "role": Role.TEAM_MANAGER, "reason": "Cover"},
    )
    change = RoleChangeRequest.objects.get()
    _approve(login(administrator), change)
    change.refresh_from_db()
    assert change.status == RoleChangeStatus.PENDING
    assert not administrator.has_role(Role.TEAM_MANAGER)


def test_the_database_refuses_a_decision_by_the_requester(administrator):
    from django.db import IntegrityError

    newcomer = make_user(None, username="newcomer")
    with pytest.raises(IntegrityError):
        RoleChangeRequest.objects.create(
            user=newcomer,
            role=Role.IRO,
            reason="x",
            requested_by=administrator,
            decided_by=administrator,
            status=RoleChangeStatus.APPROVED,
        )
