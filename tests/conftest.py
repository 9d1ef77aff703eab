"""Shared fixtures: one persona per role, and a child allocated to one IRO.

Personas: iro_allocated (the child's IRO), iro_other (another IRO),
team_manager, head_of_service, performance_officer, board_member, administrator.
"""

import pytest
from django.test import Client

from iro.roles import Role
from tests.iro.factories import AllocationFactory, ChildFactory, TeamFactory, make_user


@pytest.fixture(autouse=True)
def _fresh_report_cache():
    """Computed reports are cached for minutes; each test starts from figures worked out anew."""
    from reporting import caching

    caching.invalidate()


@pytest.fixture
def team(db):
    return TeamFactory(name="Children's IRO team")


@pytest.fixture
def iro_allocated(db, team):
    return make_user(Role.IRO, username="alice", first_name="Alice", last_name="Adeyemi", team=team)


@pytest.fixture
def iro_other(db, team):
    return make_user(Role.IRO, username="bob", first_name="Bob", last_name="Bennett", team=team)


@pytest.fixture
def team_manager(db, team):
    user = make_user(
        Role.TEAM_MANAGER, username="tess", first_name="Tess", last_name="Thompson", team=team
    )
    team.manager = user
    team.save()
    return user


@pytest.fixture
def head_of_service(db):
    return make_user(
        Role.HEAD_OF_SERVICE,
        username="harriet",
        first_name="Harriet",
        last_name="Hughes",
        responder_level="head_of_service",
    )


@pytest.fixture
def performance_officer(db):
    return make_user(
        Role.PERFORMANCE_OFFICER, username="priya", first_name="Priya", last_name="Patel"
    )


@pytest.fixture
def board_member(db):
    return make_user(Role.BOARD_MEMBER, username="brian", first_name="Brian", last_name="Bowes")


@pytest.fixture
def administrator(db):
    return make_user(Role.ADMINISTRATOR, username="ada", first_name="Ada", last_name="Arnold")


@pytest.fixture
def personas(
    iro_allocated,
    iro_other,
    team_manager,
    head_of_service,
    performance_officer,
    board_member,
    administrator,
):
    return {
        "iro_allocated": iro_allocated,
        "iro_other": iro_other,
        "team_manager": team_manager,
        "head_of_service": head_of_service,
        "performance_officer": performance_officer,
        "board_member": board_member,
        "administrator": administrator,
    }


@pytest.fixture
def child(db, iro_allocated):
    child = ChildFactory(first_name="Jamie", last_name="Smith", la_child_id="C900001")
    AllocationFactory(child=child, iro=iro_allocated)
    return child


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def login():
    """login(user) -> a test client signed in as that user."""
    return client_for


# --- Running the suite as of another day: `pytest --today YYYY-MM-DD[THH:MM]` ------------------
# The whole process (this one and every thread in it, such as the live server the browser tests
# talk to) travels to that day with time-machine, at 12:00 in Europe/London unless a time is
# given, and the clock keeps moving from there (tick=True). Tests that travel themselves with
# time_machine nest inside it. The database's own clock is not moved, which is why no SQL of the
# service reads it for a business date (tests/qa/test_no_database_clock.py).

_today_traveller = None


def pytest_addoption(parser):
    parser.addoption(
        "--today",
        metavar="YYYY-MM-DD",
        default=None,
        help="run the tests as if this day (12:00 Europe/London, or YYYY-MM-DDTHH:MM) were now",
    )


def pytest_configure(config):
    global _today_traveller
    value = config.getoption("--today", default=None)
    if not value:
        return
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    try:
        moment = datetime.fromisoformat(value if "T" in value else f"{value}T12:00")
    except ValueError:
        raise pytest.UsageError(f"--today: {value!r} is not a date (YYYY-MM-DD)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("Europe/London"))
    _today_traveller = time_machine.travel(moment, tick=True)
    _today_traveller.start()


def pytest_unconfigure(config):
    global _today_traveller
    if _today_traveller is not None:
        _today_traveller.stop()
        _today_traveller = None


def pytest_report_header(config):
    value = config.getoption("--today", default=None)
    return f"today: {value} (time-machine, Europe/London)" if value else None
