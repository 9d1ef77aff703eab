"""Nobody sets another person's password from the web, and every account change is in the audit
log with who made it and what changed.

The hole this closes: with the admin's "set password" form an administrator could set a second
administrator's password, sign in as them and approve their own role change request, and the
password change left no trace."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from iro.models import AuditEvent, RoleChangeRequest, RoleChangeStatus, User
from iro.roles import Role, group_name
from tests.iro.factories import make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "correct-horse-battery-9"
A = AuditEvent.Action


def _events(subject, *, since=0):
    return list(
        AuditEvent.objects.filter(subject=subject, pk__gt=since)
        .order_by("pk")
        .values_list("action", "detail", "actor")
    )


def _last_pk():
    last = AuditEvent.objects.order_by("-pk").first()
    return last.pk if last else 0


@pytest.fixture
def second_admin(db):
    return make_user(Role.ADMINISTRATOR, username="bea", email="bea@example.gov.uk", is_staff=True)


def _password_form(user):
    return reverse("admin:auth_user_password_change", args=[user.pk])


def _send_link(client, *users):
    return client.post(
        reverse("admin:iro_user_changelist"),
        {"action": "send_password_reset_link", "_selected_action": [u.pk for u in users]},
    )


def _sign_in(client, username, password, *, succeeds=True):
    """Through the sign-in page (django-axes needs the request)."""
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert (response.status_code == 302) is succeeds, response.status_code


def _link_from(message):
    return re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)


# --- No password form for someone else -----------------------------------------------------------


def test_an_administrator_cannot_reach_another_users_password_form(
    administrator, second_admin, login
):
    client = login(administrator)
    assert client.get(_password_form(second_admin)).status_code == 403
    response = client.post(
        _password_form(second_admin), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 403
    second_admin.refresh_from_db()
    assert not second_admin.check_password(NEW_PASSWORD)
    page = client.get(reverse("admin:iro_user_change", args=[second_admin.pk])).content.decode()
    assert "../password/" not in page and "Send a password reset link" in page


def test_nor_a_superuser_from_the_web(second_admin, login):
    root = make_user(None, username="root", is_superuser=True, is_staff=True)
    response = login(root).post(
        _password_form(second_admin), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 403
    second_admin.refresh_from_db()
    assert not second_admin.check_password(NEW_PASSWORD)


def test_one_administrator_cannot_complete_a_two_person_role_change_alone(
    administrator, second_admin, login
):
    """The scenario: A asks for a role for themselves, sets B's password, signs in as B and
    approves. Each step that needs B fails; the request waits for the real B."""
    a = login(administrator)
    a.post(
        reverse("admin:iro_rolechangerequest_add"),
        {"user": administrator.pk, "role": Role.TEAM_MANAGER, "reason": "Cover"},
    )
    change = RoleChangeRequest.objects.get()
    assert (
        a.post(
            _password_form(second_admin), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        ).status_code
        == 403
    )
    as_b = Client()
    _sign_in(as_b, "bea", NEW_PASSWORD, succeeds=False)
    response = as_b.post(
        reverse("admin:iro_rolechangerequest_changelist"),
        {"action": "approve", "_selected_action": [change.pk]},
    )
    assert response.status_code == 302 and "/login/" in response["Location"]
    # Nor can A approve it themselves.
    a.post(
        reverse("admin:iro_rolechangerequest_changelist"),
        {"action": "approve", "_selected_action": [change.pk]},
    )
    change.refresh_from_db()
    assert change.status == RoleChangeStatus.PENDING
    assert not administrator.has_role(Role.TEAM_MANAGER)
    # A reset link for B goes to B's own address, not to A.
    _send_link(a, second_admin)
    assert [m.to for m in mail.outbox] == [["bea@example.gov.uk"]]
    assert administrator.email not in mail.outbox[0].to


# --- The reset link ------------------------------------------------------------------------------


def test_the_reset_link_goes_to_the_users_own_address_and_works(administrator, login):
    person = make_user(Role.BOARD_MEMBER, username="bob", email="bob@example.gov.uk")
    since = _last_pk()
    response = _send_link(login(administrator), person)
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["bob@example.gov.uk"]
    link = _link_from(mail.outbox[0])
    assert _events(person, since=since) == [
        (A.PASSWORD_RESET_SENT, "to bob@example.gov.uk", administrator.pk)
    ]

    anonymous = Client()
    form = anonymous.get(link, follow=True)
    assert form.status_code == 200 and "Choose a new password" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    short = anonymous.post(set_url, {"new_password1": "short", "new_password2": "short"})
    assert short.status_code == 200 and "govuk-error-summary" in short.content.decode()
    done = anonymous.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert _events(person, since=since)[1:] == [
        (A.PASSWORD_SET, "reset by the account holder through the emailed link", person.pk)
    ]
    # The link works once.
    again = Client().get(link, follow=True)
    assert "This link does not work" in again.content.decode()


def test_no_link_for_an_account_without_an_email(administrator, login):
    person = make_user(Role.BOARD_MEMBER, username="noemail", email="")
    response = _send_link(login(administrator), person)
    assert response.status_code == 302
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action=A.PASSWORD_RESET_SENT).exists()


def test_a_new_account_has_no_password_and_its_holder_gets_the_link(administrator, login):
    response = login(administrator).post(
        reverse("admin:iro_user_add"),
        {
            "username": "newstarter",
            "first_name": "New",
            "last_name": "Starter",
            "email": "new.starter@example.gov.uk",
            "password1": NEW_PASSWORD,  # ignored: there is no such field
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    person = User.objects.get(username="newstarter")
    assert not person.has_usable_password()
    assert [m.to for m in mail.outbox] == [["new.starter@example.gov.uk"]]
    assert "Set your password" in mail.outbox[0].subject
    assert _events(person) == [
        (A.ACCOUNT_CREATED, "activated", administrator.pk),
        (A.PASSWORD_RESET_SENT, "to new.starter@example.gov.uk (new account)", administrator.pk),
    ]


# --- Every account change, one row each ------------------------------------------------------------


def _user_form(user, **extra):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "groups": [g.pk for g in user.groups.all()],
        "job_title": user.job_title,
        "team": user.team_id or "",
        "fte": str(user.fte),
        "line_manager": "",
        "responder_level": user.responder_level,
    }
    if user.is_active:
        data["is_active"] = "on"
    data.update(extra)
    return data


def test_deactivating_in_the_admin_is_one_row_with_the_actor(administrator, login):
    person = make_user(Role.BOARD_MEMBER, username="leaver")
    since = _last_pk()
    form = _user_form(person)
    del form["is_active"]
    response = login(administrator).post(reverse("admin:iro_user_change", args=[person.pk]), form)
    assert response.status_code == 302
    assert _events(person, since=since) == [(A.ACCOUNT_CHANGED, "deactivated", administrator.pk)]


def test_flags_permissions_groups_and_tokens_from_anywhere(db):
    person = make_user(None, username="shell")
    since = _last_pk()
    person.is_staff = True
    person.save()
    person.is_superuser = True
    person.is_active = False
    person.save()
    perm = Permission.objects.get(codename="view_team")
    person.user_permissions.add(perm)
    person.user_permissions.remove(perm)
    person.user_permissions.add(perm)
    person.user_permissions.clear()
    person.groups.add(Group.objects.get(name=group_name(Role.BOARD_MEMBER)))
    token = Token.objects.create(user=person)
    ending = f"token ending {token.key[-4:]}"
    token.delete()
    assert _events(person, since=since) == [
        (A.ACCOUNT_CHANGED, "staff status given", None),
        (A.ACCOUNT_CHANGED, "deactivated", None),
        (A.ACCOUNT_CHANGED, "superuser status given", None),
        (A.PERMISSION_ADDED, "iro.view_team", None),
        (A.PERMISSION_REMOVED, "iro.view_team", None),
        (A.PERMISSION_ADDED, "iro.view_team", None),
        (A.PERMISSION_REMOVED, "iro.view_team", None),
        (A.ROLE_ADDED, "Board member", None),
        (A.TOKEN_CREATED, ending, None),
        (A.TOKEN_DELETED, ending, None),
    ]
    # Saving with nothing changed writes nothing.
    person.save()
    assert len(_events(person, since=since)) == 10


def test_an_api_token_made_in_the_admin_names_who_made_it(login):
    root = make_user(None, username="root", is_superuser=True, is_staff=True)
    person = make_user(Role.IRO, username="apiuser")
    since = _last_pk()
    response = login(root).post(reverse("admin:authtoken_tokenproxy_add"), {"user": person.pk})
    assert response.status_code == 302
    token = Token.objects.get(user=person)
    assert _events(person, since=since) == [
        (A.TOKEN_CREATED, f"token ending {token.key[-4:]}", root.pk)
    ]


def test_changing_ones_own_password_is_written_and_a_sign_in_is_not(administrator, login):
    administrator.set_password("old-password-for-ada-1")
    administrator.save()
    since = _last_pk()
    client = Client()
    _sign_in(client, "ada", "old-password-for-ada-1")
    assert _events(administrator, since=since) == []  # signing in (and any rehash) is no change
    response = client.post(
        reverse("admin:password_change"),
        {
            "old_password": "old-password-for-ada-1",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert _events(administrator, since=since) == [
        (A.PASSWORD_SET, "changed by the account holder", administrator.pk)
    ]


# --- Break-glass command -------------------------------------------------------------------------


def test_the_break_glass_command_sets_a_password_and_names_the_operator(second_admin, monkeypatch):
    since = _last_pk()
    monkeypatch.setenv("NEW_PASSWORD", NEW_PASSWORD)
    call_command(
        "set_password",
        username="bea",
        operator="A. Smith, IT service desk",
        reason="Ticket 4711",
        no_input=True,
    )
    second_admin.refresh_from_db()
    assert second_admin.check_password(NEW_PASSWORD)
    assert _events(second_admin, since=since) == [
        (
            A.PASSWORD_SET,
            "set from the command line by A. Smith, IT service desk: Ticket 4711",
            None,
        )
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"operator": " ", "reason": "x"}, "Name the person"),
        ({"operator": "A. Smith", "reason": ""}, "Say why"),
        ({"operator": "A. Smith", "reason": "x", "password": "short"}, "too short"),
        ({"operator": "A. Smith", "reason": "x", "username": "nobody"}, "No user called"),
    ],
)
def test_the_break_glass_command_refuses_without_operator_reason_or_a_good_password(
    second_admin, monkeypatch, kwargs, message
):
    monkeypatch.setenv("NEW_PASSWORD", kwargs.pop("password", NEW_PASSWORD))
    since = _last_pk()
    with pytest.raises(CommandError, match=message):
        call_command(
            "set_password", username=kwargs.pop("username", "bea"), no_input=True, **kwargs
        )
    second_admin.refresh_from_db()
    assert not second_admin.check_password(NEW_PASSWORD)
    assert _events(second_admin, since=since) == []
