"""A board member never sees a child's identity: every URL of the project, pages and API alike.

The test walks the URL resolver, fills each path parameter with the id of a real record of the
kind the route names, requests it with a board member's session and checks the answer is refused
or names none of the children.
"""

import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from feedback.services import invitations_for_outcome
from iro.models import AllocationRole
from iro.notifications.models import Notification
from letters.models import MyIroLetter
from reporting.models import ImportRun, ReportDownload
from reporting.services import snapshot_publish
from reviews.models import Recommendation
from ssd.models import SyncConflict, SyncRun
from tests.escalations.factories import ConcernFactory, raise_irp
from tests.feedback.helpers import feedback_answer
from tests.iro.factories import AllocationFactory, CareEpisodeFactory, ChildFactory
from tests.protection.factories import plan_from_icpc
from tests.reviews.factories import at, booked_review, held_review

# The Django admin asks staff status before anything else; its own test is below.
SKIPPED_PREFIXES = ("admin/", "static/", "accounts/logout/")
# The calendar feed is authorised by a secret token in its URL, not by the session: a board
# member has no token, so the walk asks with an unknown one.
UNKNOWN_TOKEN = "not-a-real-token"


def _patterns(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route


API_KINDS = {
    "children": "child",
    "episodes": "episode",
    "allocations": "allocation",
    "reviews": "review",
    "strategy-discussions": "discussion",
    "conferences": "conference",
    "cp-plans": "plan",
    "concerns": "concern",
    "escalations": "escalation",
}
PAGE_KINDS = [
    ("children/", "child"),
    ("caseloads/", "iro"),
    ("reviews/", "review"),
    ("protection/plans/", "plan"),
    ("protection/conferences/", "conference"),
    ("escalations/concerns/", "concern"),
    ("escalations/", "escalation"),
    ("notifications/", "notification"),
    ("reporting/snapshots/", "snapshot"),
    ("reporting/returns/import/", "import_run"),
    ("reporting/downloads/", "report_download"),
    ("letters/children/", "letter"),
    ("case-system/conflicts/", "sync_conflict"),
    ("case-system/", "sync_run"),
    ("feedback/responses/", "feedback_response"),
    ("feedback/invitations/", "invitation"),
]
PARAM_KINDS = {
    "child_pk": "child",
    "episode_pk": "episode",
    "iro_pk": "iro",
    "rec_pk": "recommendation",
    "user_pk": "iro",
    "review_pk": "held_review",
    "figure_id": "figure",
    "year": "year",
    "section": "section",
    "meeting_id": "meeting",
    "child_id": "child",
}


def _kind_of_pk(route: str) -> str:
    path = route.removeprefix("api/").lstrip("^")
    if route.startswith("api/"):
        return API_KINDS[path.split("/")[0]]
    return next(kind for prefix, kind in PAGE_KINDS if path.startswith(prefix))


def _url(route: str, ids: dict) -> str:
    """Fill a route's parameters: `<int:pk>` routes and DRF's regex routes alike."""

    def value(name: str) -> str:
        if name == "format":
            return "json"
        if name == "token":
            return UNKNOWN_TOKEN
        if name == "uidb64":  # a password reset link's user, with the unknown token
            return "MQ"
        kind = PARAM_KINDS.get(name) or _kind_of_pk(route)
        return str(ids[kind])

    path = route.replace("<drf_format_suffix:format>", ".json")
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: value(m.group(1)), path)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: value(m.group(1)), path)
    path = path.replace("^", "").replace("$", "").replace("/?", "").replace("\\.", ".")
    return "/" + path


@pytest.fixture
def identities(iro_allocated, head_of_service):
    """Children with every kind of record: care, allocation, reviews, CP, concern and IRP."""
    looked_after = ChildFactory(
        first_name="Zephyrine", last_name="Quillfeather", la_child_id="QX9001"
    )
    protected = ChildFactory(first_name="Barnaby", last_name="Thistlewood", la_child_id="QX9002")
    restricted = ChildFactory(
        first_name="Octavia", last_name="Wrenfield", la_child_id="QX9003", restricted=True
    )
    episode = CareEpisodeFactory(child=looked_after, start=date(2024, 1, 10))
    CareEpisodeFactory(child=restricted, start=date(2024, 2, 1))
    allocation = AllocationFactory(child=looked_after, iro=iro_allocated, role=AllocationRole.CLA)
    AllocationFactory(child=restricted, iro=iro_allocated, role=AllocationRole.CLA)
    held = held_review(chair=iro_allocated, child=looked_after, held_on=date(2024, 2, 5))
    recommendation = Recommendation.objects.create(
        review=held, text="Life story work", owner="Social worker", target_date=date(2024, 3, 1)
    )
    booked = booked_review(
        chair=iro_allocated,
        child=restricted,
        starts_at=at(timezone.localdate() + timedelta(days=3), 9),
    )
    plan = plan_from_icpc(protected, iro_allocated)
    conference = plan.child.conferences.order_by("pk").first()
    discussion = plan.child.strategy_discussions.get()
    concern = ConcernFactory(child=looked_after, raised_by=iro_allocated)
    escalation = raise_irp(
        iro=iro_allocated, children=[looked_after], responder=head_of_service, order=2
    )
    # Raising the IRP told its responder and the IRO's team manager; the IRO has one too.
    notification = Notification.objects.create(
        recipient=iro_allocated,
        kind="review_booking_soon",
        object_type="reviews.review",
        object_id=booked.pk,
        title=f"CLA review of {looked_after.first_name} {looked_after.last_name}",
        url=f"/reviews/{booked.pk}/",
    )
    letter = MyIroLetter.objects.create(
        child=looked_after, allocation=allocation, iro=iro_allocated, from_date=allocation.start
    )
    # Feedback after the held review, from a child who chose to be named.
    invitation = invitations_for_outcome(
        meeting=held.meeting, child=looked_after, held_on=held.held_on
    )[0]
    feedback_response = feedback_answer(invitation, named=True, anything_else="Good meeting")
    ids = {
        "meeting": held.meeting_id,
        "invitation": invitation.pk,
        "feedback_response": feedback_response.pk,
        "notification": notification.pk,
        "letter": letter.pk,
        "held_review": held.pk,
        "child": looked_after.pk,
        "episode": episode.pk,
        "allocation": allocation.pk,
        "iro": iro_allocated.pk,
        "review": booked.pk,
        "recommendation": recommendation.pk,
        "discussion": discussion.pk,
        "conference": conference.pk,
        "plan": plan.pk,
        "concern": concern.pk,
        "escalation": escalation.pk,
        # Reporting: a figure that counts these children, the reporting year they were in care
        # (2023/24), and published snapshots of the dashboard and of that year's annual report
        # (small numbers shown, so that nothing is hidden by suppression).
        "figure": "CLA-01",
        "year": 2023,
        "section": "reviews",
        "snapshot": snapshot_publish(
            kind="dashboard", by=head_of_service, suppress_small_numbers=False
        ).pk,
        "annual_snapshot": snapshot_publish(
            kind="annual", by=head_of_service, year=2023, suppress_small_numbers=False
        ).pk,
        "import_run": ImportRun.objects.create(
            created_by=iro_allocated, file_name="returns.zip", upload=b""
        ).pk,
        # A Word build of the annual report, asked for by the head of service.
        "report_download": ReportDownload.objects.create(user=head_of_service, year=2023).pk,
    }
    sync_run = SyncRun.objects.create(source="extract", status="done")
    ids["sync_run"] = sync_run.pk
    ids["sync_conflict"] = SyncConflict.objects.create(
        run=sync_run, table="ssd_person", ssd_id="1", field="first_name", rule="service"
    ).pk
    secrets = [
        value
        for child in (looked_after, protected, restricted)
        for value in (child.first_name, child.last_name, child.la_child_id)
    ]
    return ids, secrets, (looked_after, protected, restricted)


def _reporting_urls(ids: dict) -> list[str]:
    """Reporting URLs with the query strings a page would use: every drill-down cell of the
    figures on the walk, the live dashboard unsuppressed, the scorecard's month, a comparison,
    and the second snapshot's pages and exports."""
    rows = reverse("reporting:figure-rows", args=[ids["figure"], ids["year"]])
    annual = ids["annual_snapshot"]
    return [
        rows + "?cell=denominator",
        rows + "?cell=2024-01",
        reverse("reporting:figure-rows", args=["REV-01", ids["year"]]),
        reverse("reporting:board") + "?suppress=0",
        reverse("reporting:scorecard") + "?end=2024-02",
        reverse("reporting:scorecard-xlsx") + "?end=2024-02",
        reverse("reporting:snapshot-compare") + f"?a={annual}&b={ids['snapshot']}",
        reverse("reporting:snapshot", args=[annual]),
        reverse("reporting:snapshot-xlsx", args=[annual]),
        reverse("reporting:snapshot-docx", args=[annual]),
        reverse("reporting:annual-csv", args=[ids["year"]]),
    ]


def _every_url(ids: dict) -> list[str]:
    urls = []
    for route in _patterns(get_resolver()):
        if route.startswith(SKIPPED_PREFIXES):
            continue
        urls.append(_url(route, ids))
    if "snapshot" in ids:
        urls.extend(_reporting_urls(ids))
    return sorted(set(urls))


def _text_of(response) -> str:
    """The answer as text, documents included: .xlsx and .docx are zip files, so their XML is
    read out of them."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "".join(
                archive.read(name).decode("utf-8", errors="replace")
                for name in archive.namelist()
                if name.endswith(".xml")
            )
    return body.decode("utf-8", errors="replace")


def _walk(client, urls: list[str], secrets: list[str]) -> tuple[list, dict]:
    leaks, answered = [], {}
    for url in urls:
        response = client.get(url, HTTP_ACCEPT="text/html,application/json")
        answered[url] = response.status_code
        assert response.status_code < 500, f"{url} answered {response.status_code}"
        if response.status_code in (403, 404):
            continue
        text = _text_of(response)
        found = [secret for secret in secrets if secret in text]
        if found:
            leaks.append((url, response.status_code, found))
    return leaks, answered


def test_the_walk_covers_pages_and_api_of_every_app(identities):
    ids, _secrets, _children = identities
    urls = _every_url(ids)
    for expected in [
        reverse("children:detail", args=[ids["child"]]),
        reverse("reviews:detail", args=[ids["review"]]),
        reverse("protection:plan_detail", args=[ids["plan"]]),
        reverse("protection:conference_detail", args=[ids["conference"]]),
        reverse("escalations:detail", args=[ids["escalation"]]),
        reverse("escalations:concern", args=[ids["concern"]]),
        f"/api/children/{ids['child']}/",
        f"/api/escalations/{ids['escalation']}/",
        f"/api/cp-plans/{ids['plan']}.json",
        "/api/concerns/",
        reverse("reporting:returns-903-zip", args=[2023]),
        reverse("reporting:returns-import-run", args=[ids["import_run"]]),
        reverse("feedback:answers"),
        reverse("feedback:meeting", args=[ids["meeting"], ids["child"]]),
        reverse("feedback:link", args=[ids["invitation"]]),
    ]:
        assert expected in urls
    assert len(urls) > 100


def test_a_board_member_gets_no_child_identity_from_any_url(identities, board_member, login):
    ids, secrets, _children = identities
    client = login(board_member)
    leaks, answered = _walk(client, _every_url(ids), secrets)
    assert leaks == []
    # The walk ran signed in all along (nothing signed the board member out on the way)...
    assert client.get(reverse("home")).status_code == 200
    # ...and the records themselves were refused, not skipped.
    for url in [
        reverse("children:list"),
        reverse("children:detail", args=[ids["child"]]),
        reverse("reviews:detail", args=[ids["review"]]),
        reverse("protection:plan_detail", args=[ids["plan"]]),
        reverse("escalations:detail", args=[ids["escalation"]]),
        "/api/children/",
        f"/api/children/{ids['child']}/",
        "/api/reviews/",
        "/api/conferences/",
        "/api/cp-plans/",
        "/api/concerns/",
        "/api/escalations/",
    ]:
        assert answered[url] in (403, 404), url
    # Reporting: drill-down, live reports and their exports are refused (403), while the
    # published snapshots, the board dashboard and their exports answer.
    for url in _reporting_urls(ids)[:3] + [
        reverse("reporting:figure-rows", args=[ids["figure"], ids["year"]]),
        reverse("reporting:annual", args=[ids["year"]]),
        reverse("reporting:annual-xlsx", args=[ids["year"]]),
        reverse("reporting:annual-docx", args=[ids["year"]]),
        reverse("reporting:scorecard"),
    ]:
        assert answered[url] == 403, url
    for url in [
        reverse("reporting:board"),
        reverse("reporting:snapshots"),
        reverse("reporting:snapshot", args=[ids["snapshot"]]),
        reverse("reporting:snapshot-xlsx", args=[ids["snapshot"]]),
        reverse("reporting:snapshot-docx", args=[ids["snapshot"]]),
        reverse("reporting:snapshot", args=[ids["annual_snapshot"]]),
    ]:
        assert answered[url] == 200, url


def test_the_walk_finds_a_name_planted_in_a_published_snapshot(
    identities, board_member, head_of_service, login
):
    """The check can fail: a child's name written into a snapshot's commentary is found, in the
    page and in both exports."""
    ids, secrets, (looked_after, _protected, _restricted) = identities
    planted = snapshot_publish(
        kind="dashboard",
        by=head_of_service,
        commentary={"children_in_care": f"{looked_after.first_name} moved placement."},
    )
    urls = _every_url({**ids, "snapshot": planted.pk})
    leaks, _answered = _walk(login(board_member), urls, secrets)
    leaked = {url for url, _status, _found in leaks}
    assert reverse("reporting:snapshot", args=[planted.pk]) in leaked
    assert reverse("reporting:snapshot-xlsx", args=[planted.pk]) in leaked
    assert reverse("reporting:snapshot-docx", args=[planted.pk]) in leaked
    assert reverse("reporting:board") in leaked  # the newest snapshot is the board's dashboard
    assert reverse("home") in leaked


def test_a_board_member_gets_no_child_identity_from_api_posts(identities, board_member, login):
    """The API actions refuse a board member before reading anything about the child."""
    ids, secrets, _children = identities
    client = login(board_member)
    for url in [
        "/api/children/",
        "/api/allocations/allocate/",
        f"/api/reviews/{ids['review']}/book/",
        f"/api/conferences/{ids['conference']}/record_outcome/",
        f"/api/cp-plans/{ids['plan']}/end/",
        f"/api/concerns/{ids['concern']}/resolve/",
        f"/api/escalations/{ids['escalation']}/respond/",
    ]:
        response = client.post(url, {}, content_type="application/json")
        assert response.status_code in (403, 404), url
        assert not [s for s in secrets if s in response.content.decode()], url


def test_a_board_member_cannot_use_the_admin(board_member, login):
    response = login(board_member).get("/admin/iro/child/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
