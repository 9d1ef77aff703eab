"""The access matrix (tests/qa/access_matrix.py) against the real URL configuration.

One test walks every route of the project and fails on any that the matrix does not list. The
other builds a world of real records (a restricted child, another IRO's child, an IRP the
responder is not named on, a calendar feed) and requests every line of the matrix as every role,
comparing the answer with the declared code, the rows of list pages, and, for board members, the
body: no child's name or LA id anywhere.

Each request runs in a savepoint that is rolled back, so a POST that gets through (or the access
log a GET writes) does not change the world for the next cell.
"""

import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from feedback.services import invitations_for_outcome
from iro.models import AllocationRole, ResponderLevel
from iro.notifications.models import Notification
from iro.roles import Role
from letters.models import MyIroLetter
from letters.services import profile_save
from reporting.models import ImportRun, ReportDownload
from reporting.services import snapshot_correct, snapshot_publish, snapshot_withdraw
from reviews.models import CalendarFeed, Recommendation
from ssd.models import SyncConflict, SyncRun
from tests.escalations.factories import ConcernFactory, make_responder, raise_irp
from tests.feedback.helpers import feedback_answer
from tests.iro.factories import (
    AllocationFactory,
    CareEpisodeFactory,
    ChildFactory,
    TeamFactory,
    make_user,
)
from tests.letters.helpers import PROFILE, image_file
from tests.protection.factories import plan_from_icpc
from tests.qa.access_matrix import FAMILIES, MATRIX, ROLES, Row
from tests.reviews.factories import at, booked_review, held_review

LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


def route_names(resolver: URLResolver | None = None, namespace: str = "", prefix: str = ""):
    """(qualified name, route) of every pattern the project serves."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            yield from route_names(pattern, inner, route)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or ''}", route


def family(name: str) -> str:
    for key, prefix in FAMILIES.items():
        if name.startswith(prefix):
            return key
    return name


def test_every_route_is_in_the_matrix():
    declared = {row.name for row in MATRIX}
    missing = {}
    for name, route in route_names():
        key = family(name)
        if key == name and (not name or name.endswith(":")):
            missing[f"<unnamed> {route}"] = route
        elif key not in declared:
            missing.setdefault(key, route)
    assert not missing, (
        "Routes missing from the access matrix: add a line for each to MATRIX in "
        "tests/qa/access_matrix.py, e.g.\n"
        + "\n".join(
            f'    R("{name}", "/{route}", "L A A A A A A A A"),' for name, route in missing.items()
        )
    )


def test_the_matrix_names_only_routes_that_exist():
    served = {family(name) for name, _route in route_names()}
    assert {row.name for row in MATRIX} - served == set()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Personas by column, and records by placeholder name: built once for the module's tests,
    in a transaction rolled back after the last of them (each test runs in a savepoint of it).
    Uploaded files (an IRO's photo) go to a folder of the module's own."""
    media = tmp_path_factory.mktemp("media")
    with (
        override_settings(MEDIA_ROOT=media),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield _build_world()
        transaction.set_rollback(True)


def _build_world():
    team = TeamFactory(name="Children's IRO team")
    iro = make_user(Role.IRO, username="alice", first_name="Alice", last_name="Adeyemi", team=team)
    iro_other = make_user(
        Role.IRO, username="bob", first_name="Bob", last_name="Bennett", team=team
    )
    manager = make_user(Role.TEAM_MANAGER, username="tess", first_name="Tess", team=team)
    team.manager = manager
    team.save()
    head = make_user(
        Role.HEAD_OF_SERVICE,
        username="harriet",
        first_name="Harriet",
        responder_level=ResponderLevel.HEAD_OF_SERVICE,
    )
    responder = make_responder(
        ResponderLevel.SW_TEAM_MANAGER, username="sam", first_name="Sam", last_name="Shaw"
    )
    users = {
        "iro": iro,
        "iro_other": iro_other,
        "manager": manager,
        "head": head,
        "responder": responder,
        "performance": make_user(Role.PERFORMANCE_OFFICER, username="priya"),
        "board": make_user(Role.BOARD_MEMBER, username="brian"),
        "admin": make_user(Role.ADMINISTRATOR, username="ada"),
    }

    child = ChildFactory(first_name="Zephyrine", last_name="Quillfeather", la_child_id="QX9001")
    restricted = ChildFactory(
        first_name="Octavia", last_name="Wrenfield", la_child_id="QX9003", restricted=True
    )
    protected = ChildFactory(first_name="Barnaby", last_name="Thistlewood", la_child_id="QX9002")
    other = ChildFactory(first_name="Ignatius", last_name="Poppleton", la_child_id="QX9004")
    episode = CareEpisodeFactory(child=child, start=date(2024, 1, 10))
    CareEpisodeFactory(child=restricted, start=date(2024, 2, 1))
    CareEpisodeFactory(child=other, start=date(2024, 3, 1))
    allocation = AllocationFactory(child=child, iro=iro, role=AllocationRole.CLA)
    AllocationFactory(child=restricted, iro=iro, role=AllocationRole.CLA)
    AllocationFactory(child=other, iro=iro_other, role=AllocationRole.CLA)

    soon = at(timezone.localdate() + timedelta(days=3), 9)
    held = held_review(chair=iro, child=child, held_on=date(2024, 2, 5))
    recommendation = Recommendation.objects.create(
        review=held, text="Life story work", owner="Social worker", target_date=date(2024, 3, 1)
    )
    review = booked_review(chair=iro, child=child, starts_at=soon)
    invitation, _ = invitations_for_outcome(
        meeting=held.meeting, child=child, held_on=held.held_on, parents_invited=True
    )
    feedback_response = feedback_answer(invitation, named=True)
    restricted_review = booked_review(chair=iro, child=restricted, starts_at=at(soon.date(), 11))
    other_review = booked_review(chair=iro_other, child=other, starts_at=at(soon.date(), 14))

    plan = plan_from_icpc(protected, iro)
    conference = protected.conferences.order_by("pk").first()
    concern = ConcernFactory(child=child, raised_by=iro)
    irp = raise_irp(iro=iro, children=[child], responder=responder, order=1)
    irp_other = raise_irp(iro=iro_other, children=[other], responder=head, order=2)
    feed = CalendarFeed.objects.create(user=iro)
    letter = MyIroLetter.objects.create(
        child=child, allocation=allocation, iro=iro, from_date=allocation.start
    )
    profile_save(user=iro, photo=image_file(), **PROFILE)
    notification = Notification.objects.create(
        recipient=iro,
        kind="review_booking_soon",
        object_type="reviews.review",
        object_id=review.pk,
        title=f"CLA review of {child.first_name} {child.last_name}",
        url=f"/reviews/{review.pk}/",
    )
    # Published snapshots with small numbers shown (nothing hidden by suppression), one
    # withdrawn, and one superseded by a correction.
    snapshot = snapshot_publish(kind="dashboard", by=head, suppress_small_numbers=False)
    annual_snapshot = snapshot_publish(
        kind="annual", by=head, year=2023, suppress_small_numbers=False
    )
    withdrawn = snapshot_withdraw(
        snapshot=snapshot_publish(kind="dashboard", by=head), by=head, reason="Wrong period"
    )
    superseded = snapshot_publish(kind="dashboard", by=head)
    snapshot_correct(snapshot=superseded, by=head, changes="Corrected a figure")
    report_download = ReportDownload.objects.create(user=users["performance"], year=2023)
    import_run = ImportRun.objects.create(
        created_by=users["performance"], file_name="returns.zip", upload=b""
    )

    sync_run = SyncRun.objects.create(source="extract", dry_run=True, status="done")
    sync_conflict = SyncConflict.objects.create(
        run=sync_run, table="ssd_cla_reviews", ssd_id="1", field="held_on", rule="service"
    )
    ids = {
        "child": child.pk,
        "restricted": restricted.pk,
        "protected": protected.pk,
        "other": other.pk,
        "episode": episode.pk,
        "allocation": allocation.pk,
        "letter": letter.pk,
        "iro": iro.pk,
        "review": review.pk,
        "held_review": held.pk,
        "restricted_review": restricted_review.pk,
        "other_review": other_review.pk,
        "recommendation": recommendation.pk,
        "discussion": protected.strategy_discussions.get().pk,
        "conference": conference.pk,
        "rcpc": protected.conferences.order_by("pk").last().pk,
        "plan": plan.pk,
        "concern": concern.pk,
        "irp": irp.pk,
        "irp_other": irp_other.pk,
        "feed_token": feed.token,
        "unknown_token": "not-a-real-token",
        "notification": notification.pk,
        # A figure that counts the children in care (CLA-01) in the reporting year they were in
        # care (2023/24).
        "figure": "CLA-01",
        "year": 2023,
        "snapshot": snapshot.pk,
        "annual_snapshot": annual_snapshot.pk,
        "withdrawn_snapshot": withdrawn.pk,
        "superseded_snapshot": superseded.pk,
        "import_run": import_run.pk,
        "sync_run": sync_run.pk,
        "sync_conflict": sync_conflict.pk,
        "held_meeting": held.meeting_id,
        "invitation": invitation.pk,
        "feedback_response": feedback_response.pk,
        "unknown_feedback_token": "x" * 43,
        "report_download": report_download.pk,
    }
    children = {"child": child, "restricted": restricted, "protected": protected, "other": other}
    return users, ids, children


def _code(response, method: str) -> str:
    status = response.status_code
    if status in (301, 302):
        location = response["Location"]
        if location.startswith(LOGIN_PATHS):
            return "L"
        return "A" if method == "post" else "R"
    if status == 403:
        return "D"
    if status == 404:
        return "H"
    if status == 200 or (method == "post" and status in (201, 204, 400)):
        return "A"
    return str(status)


def _body(response) -> str:
    """The text of a response; for XLSX, DOCX and zip downloads, the text of every member (a
    name in a spreadsheet is deflated, so searching the raw bytes would find nothing)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"\n".join(archive.read(name) for name in archive.namelist())
    return content.decode("utf-8", errors="replace")


def _rows_in(body: str, children: dict) -> set:
    """Which of the world's children a list shows: by LA id or name, or by pk in API results."""
    got = {
        label
        for label, c in children.items()
        if c.la_child_id in body or f"{c.first_name} {c.last_name}" in body
    }
    if body.startswith("{"):
        pks = set()
        for result in json.loads(body).get("results", []):
            for value in [result.get("child"), *(result.get("children") or [])]:
                pks.add(value.get("id") if isinstance(value, dict) else value)
        got |= {label for label, c in children.items() if c.pk in pks}
    return got


def _request(row: Row, role: str, users: dict, ids: dict):
    client = Client(raise_request_exception=True)
    path = row.path.format(**ids)
    with transaction.atomic():
        if role != "anonymous":
            client.force_login(users[role])
        if row.method == "post":
            response = client.post(path, {}, HTTP_ACCEPT="text/html,application/json")
        else:
            response = client.get(path, HTTP_ACCEPT="text/html,application/json")
        body = _body(response)
        transaction.set_rollback(True)
    return response, body


def check_every_cell(world, role: str) -> None:
    """Every line of the matrix requested as `role`: the declared code, the declared rows of a
    list, and for a board member no child's name or LA id in the body."""
    users, ids, children = world
    secrets = [
        value
        for child in children.values()
        for value in (child.first_name, child.last_name, child.la_child_id)
    ]
    wrong, leaks, rows_wrong = [], [], []
    for row in MATRIX:
        response, body = _request(row, role, users, ids)
        seen = _code(response, row.method)
        # The calendar feed's token is the IRO's own credential, whoever sends it; a board
        # member has no token, and with an unknown one gets 404 (the next line of the matrix).
        if role == "board" and seen == "A" and "{feed_token}" not in row.path:
            leaks += [(row.path, s) for s in secrets if s in body]
        if row.rows and seen == "A":
            got = _rows_in(body, children)
            expected = set(row.rows.get(role, set()))
            if got != expected:
                rows_wrong.append(f"{row.name} {row.path} as {role}: {role!r}: {got},")
        if seen != row.codes[role]:
            wrong.append(f'{row.name} "{row.path}" as {role}: {seen}, declared {row.codes[role]}')
    assert not wrong, "Access differs from the matrix (seen codes):\n" + "\n".join(wrong)
    assert not rows_wrong, "List rows differ from the matrix:\n" + "\n".join(rows_wrong)
    assert leaks == []


# The roles in two classes of about the same cost: `--dist loadscope` sends each class to a
# worker of its own, so the two halves of the matrix are requested side by side (each worker
# builds the world once). The managers' and officers' cells cost most (their pages list more).
FIRST_HALF = ("anonymous", "iro", "iro_other", "manager", "admin")
SECOND_HALF = tuple(role for role in ROLES if role not in FIRST_HALF)


class TestEveryCellFirstHalf:
    @pytest.mark.parametrize("role", FIRST_HALF)
    def test_every_cell(self, db, world, role):
        check_every_cell(world, role)


class TestEveryCellSecondHalf:
    @pytest.mark.parametrize("role", SECOND_HALF)
    def test_every_cell(self, db, world, role):
        check_every_cell(world, role)


def test_the_two_halves_request_every_role_once():
    assert sorted(FIRST_HALF + SECOND_HALF) == sorted(ROLES)


def test_the_world_is_what_the_matrix_assumes(db, world):
    """The columns mean what the docstring of the matrix says they mean."""
    users, ids, children = world
    from escalations.models import Escalation
    from iro.access import children_visible_to

    visible = {
        role: set(
            children_visible_to(user)
            .filter(pk__in=[c.pk for c in children.values()])
            .values_list("la_child_id", flat=True)
        )
        for role, user in users.items()
    }
    assert visible["iro"] == {"QX9001", "QX9002", "QX9003"}
    assert visible["iro_other"] == {"QX9004"}
    assert visible["board"] == visible["admin"] == set()
    named = {
        pk: set(Escalation.objects.get(pk=pk).stages.values_list("responder", flat=True))
        for pk in (ids["irp"], ids["irp_other"])
    }
    assert named == {ids["irp"]: {users["responder"].pk}, ids["irp_other"]: {users["head"].pk}}
