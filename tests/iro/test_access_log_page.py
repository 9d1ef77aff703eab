"""Information governance: the access log page answers "who viewed this child's record and
when" and "what did this user view", by date, paginated and exportable; only with the permission.
Responses to signed-in users are never stored (Cache-Control: no-store)."""

import csv
import io
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from iro.models import AccessLog
from iro.roles import ROLES_NEEDING_APPROVAL, Role
from tests.iro.factories import ChildFactory, make_user

pytestmark = pytest.mark.django_db

URL = "/access-log/"


def _log(user, child, when):
    entry = AccessLog.objects.create(user=user, child=child, path=f"/children/{child.pk}/")
    AccessLog.objects.filter(pk=entry.pk).update(viewed_at=when)
    return entry


@pytest.fixture
def governance(db):
    """The Information governance officer: the only role that reads the access log."""
    return make_user(Role.INFORMATION_GOVERNANCE, username="gill")


@pytest.fixture
def entries(child, iro_allocated, team_manager):
    other = ChildFactory(first_name="=HYPERLINK(1)", la_child_id="C900002")
    tz = timezone.get_current_timezone()
    _log(iro_allocated, child, datetime(2026, 3, 2, 9, 0, tzinfo=tz))
    _log(team_manager, child, datetime(2026, 3, 5, 23, 30, tzinfo=tz))
    _log(iro_allocated, other, datetime(2026, 3, 6, 10, 0, tzinfo=tz))
    _log(team_manager, other, datetime(2026, 4, 1, 10, 0, tzinfo=tz))
    return other


def _rows(response):
    return [(e.user.username, e.child.la_child_id) for e in response.context["page"].object_list]


def test_who_viewed_this_childs_record(governance, login, entries):
    response = login(governance).get(URL, {"child": "C900001"})
    assert response.status_code == 200
    assert _rows(response) == [("tess", "C900001"), ("alice", "C900001")]


def test_what_did_this_user_view_between_two_dates(governance, login, entries):
    response = login(governance).get(
        URL, {"user": "alice", "since": "2026-03-01", "until": "2026-03-06"}
    )
    assert _rows(response) == [("alice", "C900002"), ("alice", "C900001")]
    response = login(governance).get(URL, {"since": "5/3/2026", "until": "5/3/2026"})
    assert _rows(response) == [("tess", "C900001")]  # 23:30 on the last day counts


def test_a_bad_date_is_a_400_with_a_message(governance, login, entries):
    response = login(governance).get(URL, {"since": "31/2/2026", "until": "2026-01-01"})
    assert response.status_code == 400
    assert "From date must be a real date" in response.content.decode()
    response = login(governance).get(URL, {"since": "2026-03-05", "until": "2026-03-01"})
    assert response.status_code == 400
    assert "To date must be the same as or after the from date" in response.content.decode()


def test_the_page_is_paginated_at_constant_queries(
    governance, login, child, iro_allocated, django_assert_max_num_queries
):
    AccessLog.objects.bulk_create(
        AccessLog(user=iro_allocated, child=child, path="/x/") for _ in range(120)
    )
    client = login(governance)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == 50
    assert response.context["page"].paginator.num_pages == 3
    assert len(client.get(URL, {"page": 3}).context["page"].object_list) == 20


def test_the_export_is_escaped_csv_with_every_matching_row(governance, login, entries):
    response = login(governance).get(URL, {"child": "C900002", "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Viewed at", "Username", "User", "Child ID"]
    assert [(r[1], r[3]) for r in rows[1:]] == [("tess", "C900002"), ("alice", "C900002")]
    assert all(r[4].startswith("'=HYPERLINK") for r in rows[1:])


@pytest.mark.parametrize(
    "persona",
    [
        "iro_allocated",
        "team_manager",
        "head_of_service",
        "performance_officer",
        "board_member",
        "administrator",
    ],
)
def test_no_other_role_reads_the_access_log(persona, personas, login, entries):
    client = login(personas[persona])
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"export": "csv"}).status_code == 403


def test_the_governance_officer_has_it_in_their_navigation(
    governance, administrator, iro_allocated, login
):
    assert f'href="{URL}"' in login(governance).get("/").content.decode()
    for other in (administrator, iro_allocated):
        assert f'href="{URL}"' not in login(other).get("/").content.decode()


def test_administrators_do_not_answer_who_viewed_a_child(administrator, login, entries):
    """The access log names children; administrators see no child records. The permission is
    the Information governance officer role's, given only with a second administrator."""
    assert not administrator.has_perm("iro.view_access_log")
    response = login(administrator).get(URL, {"child": "C900001"})
    assert response.status_code == 403
    assert "C900001" not in response.content.decode()
    assert Role.INFORMATION_GOVERNANCE in ROLES_NEEDING_APPROVAL


# --- Cache-Control ------------------------------------------------------------------------------


def test_pages_api_and_exports_for_a_signed_in_user_are_not_stored(
    login, team_manager, child, client
):
    signed_in = login(team_manager)
    for url in [
        reverse("children:detail", args=[child.pk]),
        "/",
        reverse("reviews:schedule_csv"),
        f"/api/children/{child.pk}/",
    ]:
        response = signed_in.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    token = Token.objects.create(user=team_manager)
    response = client.get(f"/api/children/{child.pk}/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
