"""Queries per home page, one test per role (issue 30: fewer queries on the home pages first).

The numbers are the queries of a signed-in visit after the first (the session read from the
cache, iro.sessions), with the service settings, the manager's team and the user's visible
children worked out once per request (iro.request_memo). Before that work they were: IRO 11,
team manager 18, head of service 6, performance officer 5, board member 6, administrator 4,
escalation responder 5, information governance 4.

Two panels of the letters app came after those numbers, each with one query of its own: the
IRO's "your profile" panel reads their profile (IRO 10 to 11) and the team manager's profiles
panel lists the team's IROs with theirs (team manager 12 to 13). The teams a manager manages are
read once per request (iro.teams.managed_teams) by that panel, the access rules and the others.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from iro import access
from iro.models import ServiceSettings
from iro.request_memo import RequestMemoMiddleware, memoised
from iro.roles import Role
from tests.iro.factories import AllocationFactory, CareEpisodeFactory, ChildFactory, make_user

HOME_QUERIES = {
    "iro_allocated": 11,  # 10, and the letters app's profile panel (its profile)
    "team_manager": 13,  # 12, and the letters app's team profiles panel (the team's IROs)
    "head_of_service": 4,
    "performance_officer": 3,
    "board_member": 5,
    "administrator": 3,
    "escalation_responder": 4,
    "governance": 3,
}


@pytest.fixture
def caseload(db, iro_allocated, iro_other):
    for iro in (iro_allocated, iro_other, iro_allocated):
        kid = ChildFactory()
        CareEpisodeFactory(child=kid)
        AllocationFactory(child=kid, iro=iro)


def _user(persona, personas):
    if persona == "escalation_responder":
        return make_user(
            Role.ESCALATION_RESPONDER, username="esme", responder_level="sw_team_manager"
        )
    if persona == "governance":
        return make_user(Role.INFORMATION_GOVERNANCE, username="gil")
    return personas[persona]


@pytest.mark.parametrize("persona", list(HOME_QUERIES))
def test_each_home_page_makes_at_most_its_queries(
    db, personas, caseload, login, persona, django_assert_max_num_queries
):
    client = login(_user(persona, personas))
    assert client.get(reverse("home")).status_code == 200  # first visit: session into the cache
    with django_assert_max_num_queries(HOME_QUERIES[persona]):
        response = client.get(reverse("home"))
    assert response.status_code == 200


def test_the_team_managers_home_reads_the_settings_and_the_team_once(
    db, team_manager, caseload, login
):
    client = login(team_manager)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum('FROM "iro_servicesettings"' in s for s in sql) == 1
    assert sum('FROM "iro_team"' in s and '"manager_id" =' in s for s in sql) == 1
    assert not any('FROM "django_session"' in s for s in sql)


def _in_request(fn):
    """Runs `fn` as a view would, inside RequestMemoMiddleware."""
    return RequestMemoMiddleware(lambda request: fn())(None)


def test_settings_are_read_once_per_request_and_afresh_after_a_save(db, django_assert_num_queries):
    ServiceSettings.load()

    def twice_then_save_then_read():
        first = ServiceSettings.load()
        assert ServiceSettings.load() is first
        first.booking_lead_working_days = 12
        first.save()
        return ServiceSettings.load()

    with django_assert_num_queries(3):  # the read, the save (an UPDATE), the read after it
        after = _in_request(twice_then_save_then_read)
    assert after.booking_lead_working_days == 12
    # Outside a request nothing is kept: each call reads the row.
    with django_assert_num_queries(2):
        ServiceSettings.load()
        ServiceSettings.load()


def test_the_visible_set_is_built_once_per_request_and_each_caller_gets_its_own_copy(
    db, iro_allocated, iro_other, child
):
    other = ChildFactory()
    AllocationFactory(child=other, iro=iro_other)

    def twice():
        first = access.children_visible_to(iro_allocated)
        narrowed = first.filter(pk=other.pk)
        second = access.children_visible_to(iro_allocated)
        return first, narrowed, second, access.children_visible_to(iro_other)

    first, narrowed, second, others = _in_request(twice)
    assert first is not second
    assert list(second) == [child]  # filtering the first copy did not narrow the second
    assert list(narrowed) == []
    assert list(others) == [other]  # another user's set is their own


def test_nothing_is_kept_outside_a_request(db):
    calls = []
    memoised("k", lambda: calls.append(1))
    memoised("k", lambda: calls.append(1))
    assert len(calls) == 2


def test_a_session_is_read_from_the_cache_and_from_the_database_when_the_cache_is_down(
    db, django_assert_num_queries
):
    from django.core.cache.backends.redis import RedisCache

    from iro.sessions import SessionStore

    store = SessionStore()
    store["who"] = "alice"
    store.save(must_create=True)
    with django_assert_num_queries(0):
        assert SessionStore(store.session_key)["who"] == "alice"
    # No server listens on port 1: every cache call fails at once.
    down = RedisCache(
        "redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}
    )
    unreachable = SessionStore(store.session_key)
    unreachable._cache = down
    with django_assert_num_queries(1):
        assert unreachable["who"] == "alice"
    unreachable["who"] = "bob"
    unreachable.save()  # written to the database; the cache is skipped
    again = SessionStore(store.session_key)
    again._cache = down
    assert again["who"] == "bob"
