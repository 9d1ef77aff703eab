"""The shell: sign-in everywhere, role home pages, navigation by role, health, error pages."""

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from iro.roles import Role, group_name

pytestmark = pytest.mark.django_db

# Paths that must answer without signing in, and why.
PUBLIC = {
    "login": "the sign-in page",
    "health": "load balancer health checks",
    "password_reset_confirm": "the page a password reset link opens (the link is the secret)",
    "password_reset_complete": "the page after a password is reset through the link",
    "answer": "the feedback form a child or parent opens from their link (the link is the secret)",
    "answer_easy": "the easy-read feedback form (the link is the secret)",
    "thanks": "the page after the feedback form is sent",
}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _example_path(route: str) -> str:
    import re

    path = route.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    path = re.sub(r"<int:[^>]+>", "1", path)
    path = re.sub(r"<uuid:[^>]+>", "00000000-0000-0000-0000-000000000000", path)
    path = re.sub(r"<(?:str|slug):[^>]+>", "x", path)
    path = re.sub(r"<[^>]+>", "1", path)
    path = re.sub(r"\(\?P<[^>]+>[^)]*\)", "1", path)
    path = path.replace("(?P<format>[a-z0-9]+)/?", "").replace("?", "")
    return "/" + path.lstrip("/")


def test_every_url_pattern_needs_sign_in(client):
    checked = 0
    for route, pattern in _walk(get_resolver().url_patterns):
        if pattern.name in PUBLIC or route.startswith("admin/"):
            continue
        path = _example_path(route)
        response = client.get(path)
        if path.startswith("/api/") or path.startswith("/calendar/feed/"):
            # The API authenticates itself; the calendar feed takes a secret token in the URL.
            assert response.status_code in (401, 403, 404), path
        else:
            assert response.status_code == 302, path
            assert response["Location"].startswith(reverse("login")), path
        checked += 1
    assert checked >= 5


def test_admin_needs_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302


def test_every_role_has_a_group_created_by_migration():
    names = set(Group.objects.values_list("name", flat=True))
    assert {group_name(role) for role in Role} <= names


def test_board_member_group_has_no_child_permissions():
    group = Group.objects.get(name=group_name(Role.BOARD_MEMBER))
    assert not group.permissions.filter(
        content_type__app_label="iro", codename__contains="child"
    ).exists()


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("iro_allocated", "My work"),
        ("team_manager", "Schedule and caseloads"),
        ("head_of_service", "Escalation queue"),
        ("performance_officer", "Reports"),
        ("board_member", "Dashboards"),
        ("administrator", "Administration"),
    ],
)
def test_each_role_lands_on_its_home_page(personas, login, persona, heading):
    response = login(personas[persona]).get("/")
    assert response.status_code == 200
    assert f'<h1 class="govuk-heading-xl">{heading}</h1>' in response.content.decode()


def test_board_member_navigation_has_no_children_link(board_member, login):
    html = login(board_member).get("/").content.decode()
    assert ">Children<" not in html
    assert ">Administration<" not in html


def test_administrator_navigation_has_administration(administrator, login):
    html = login(administrator).get("/").content.decode()
    assert ">Administration<" in html


def test_login_with_wrong_password_shows_error_and_keeps_username(client, iro_allocated):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'value="alice"' in html


def test_login_with_right_password_goes_home(client, iro_allocated):
    from tests.iro.factories import DEFAULT_PASSWORD

    response = client.post(reverse("login"), {"username": "alice", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_login_is_throttled_after_repeated_failures(client, iro_allocated, settings):
    from tests.iro.factories import DEFAULT_PASSWORD

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "alice", "password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_health_reports_each_component(client):
    response = client.get(reverse("health"))
    body = response.json()
    assert response.status_code == 200, body
    assert body["checks"] == {"database": "ok", "cache": "ok", "broker": "ok"}


def test_unknown_page_is_styled_404(login, iro_allocated):
    response = login(iro_allocated).get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_sign_out_ends_the_session(login, iro_allocated):
    client = login(iro_allocated)
    client.post(reverse("logout"))
    assert client.get("/").status_code == 302


def test_api_needs_authentication(client):
    assert client.get("/api/schema/").status_code in (401, 403)


def test_administrator_without_staff_flag_reaches_the_admin(administrator, login):
    assert not administrator.is_staff
    response = login(administrator).get("/admin/iro/user/")
    assert response.status_code == 200
    assert "ada" in response.content.decode()


@pytest.mark.parametrize("persona", ["iro_allocated", "team_manager", "board_member"])
def test_other_roles_cannot_reach_the_admin(personas, login, persona):
    response = login(personas[persona]).get("/admin/iro/user/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
