"""The OpenAPI schema tells the truth: schemathesis generates requests for every operation of
/api/schema/ and checks the answers, as a team manager and as an IRO: no server error, every
status answered is documented for its operation (errors included: 400, 403, 404, 409, 429), and
every answer's body matches its documented schema.

Bounded: a few examples per operation (SCHEMATHESIS_EXAMPLES, default 4), so the run stays short.
"""

import contextlib
import os
from datetime import date

import jsonschema
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from tests.iro.factories import CareEpisodeFactory
from tests.protection.factories import StrategyDiscussionFactory, plan_from_icpc
from tests.reviews.factories import held_review

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "4"))


@pytest.fixture
def records(child, iro_allocated, head_of_service):
    """Records of every kind the API serves, so list answers carry real rows."""
    from escalations import services
    from escalations.models import Concern, Escalation
    from iro.models import Allocation, CareEpisode
    from protection.models import Conference, ProtectionPlan, StrategyDiscussion
    from reviews.models import Review
    from tests.escalations.factories import raise_irp

    CareEpisodeFactory(child=child)
    held_review(chair=iro_allocated, child=child, held_on=date(2025, 6, 2))
    plan_from_icpc(child, iro_allocated, held_on=date(2025, 5, 1))
    raise_irp(iro=iro_allocated, children=[child], responder=head_of_service, order=2)
    services.concern_raise(
        child=child,
        raised_by=iro_allocated,
        category="drift_and_delay",
        description="Permanence delayed",
        raised_with="Team manager",
        raised_on=date(2025, 12, 1),
    )
    StrategyDiscussionFactory(child=child)
    models = {
        "children": type(child),
        "episodes": CareEpisode,
        "allocations": Allocation,
        "reviews": Review,
        "conferences": Conference,
        "cp-plans": ProtectionPlan,
        "strategy-discussions": StrategyDiscussion,
        "escalations": Escalation,
        "concerns": Concern,
    }
    return {prefix: model.objects.order_by("-pk").first().pk for prefix, model in models.items()}


@contextlib.contextmanager
def keep_connection():
    """Requests go straight to the WSGI handler: keep the test's database connection (and its
    transaction) open across them, as Django's test client does."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    loaded = schemathesis.openapi.from_dict(response.json())
    loaded.app = WSGIHandler()
    return loaded


def _operations(schema):
    found = []
    for result in schema.get_all_operations():
        found.append(result.ok())
    return found


@pytest.mark.parametrize("persona", ["team_manager", "iro_allocated"])
def test_every_operation_answers_as_documented(persona, personas, records, login):
    user = personas[persona]
    token = Token.objects.create(user=user)
    schema = _schema(login(user))
    operations = _operations(schema)
    assert len(operations) >= 40
    failures = []
    with keep_connection():
        for operation in operations:
            failures.extend(_check(operation, token, records))
    if failures:
        pytest.fail(f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures))


def _check(operation, token, ids) -> list[str]:
    """Up to EXAMPLES generated requests to one operation; the failures found, as text.

    A path's record id is a real record of that kind half the time (so detail pages and actions
    answer, not only 404), and a generated one otherwise."""
    prefix = operation.path.strip("/").split("/")[1]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        params = case.path_parameters or {}
        if "id" in params and prefix in ids and hash(str(case.body)) % 2 == 0:
            params["id"] = ids[prefix]
        response = case.call(headers={"Authorization": f"Token {token.key}"})
        case.validate_response(
            response,
            checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
        )

    try:
        run()
    except KeyboardInterrupt:
        raise
    except BaseException as error:  # noqa: BLE001 - schemathesis raises an exception group
        return [f"{operation.label}: {str(error)[:1500]}"]
    return []


def _operation(doc, path, method):
    return doc["paths"][path][method]


def _ref(content):
    return content["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]


def test_actions_document_their_real_request_and_answer(team_manager, login):
    doc = login(team_manager).get("/api/schema/", {"format": "json"}).json()
    episodes = _operation(doc, "/api/episodes/", "post")
    assert _ref(episodes["requestBody"]["content"]) == "CareStart"
    assert _ref(episodes["responses"]["201"]["content"]) == "Episode"
    assert "child" in doc["components"]["schemas"]["CareStart"]["required"]
    for path, request, answer in [
        ("/api/episodes/change/", "CareChange", "Episode"),
        ("/api/allocations/allocate/", "Allocate", "Allocation"),
        ("/api/conferences/{id}/cancel/", "Cancel", "Conference"),
        ("/api/cp-plans/{id}/end/", "PlanEnd", "ProtectionPlan"),
        ("/api/escalations/{id}/respond/", "Respond", "Escalation"),
        ("/api/escalations/{id}/withdraw/", "Note", "Escalation"),
        ("/api/concerns/{id}/resolve/", "ConcernResolve", "Concern"),
    ]:
        operation = _operation(doc, path, "post")
        assert _ref(operation["requestBody"]["content"]) == request, path
        answers = operation["responses"]
        assert _ref(next(iter(answers.values()))["content"]) == answer, path
    schemas = doc["components"]["schemas"]
    assert schemas["Concern"]["properties"]["escalation"]["nullable"] is True
    assert schemas["ProtectionPlan"]["properties"]["next_review_due"]["nullable"] is True


def test_a_documented_episode_body_is_accepted(team_manager, login):
    from tests.iro.factories import ChildFactory

    child = ChildFactory()
    body = {
        "child": child.pk,
        "start": "2025-04-01",
        "legal_status": "C2",
        "category_of_need": "N1",
        "placement_type": "U1",
        "placement_provider": "PR1",
        "home_postcode": "B1 1AA",
        "placement_postcode": "B2 2BB",
    }
    response = login(team_manager).post("/api/episodes/", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["child"] == child.pk


def test_a_stale_version_answers_the_documented_409(team_manager, child, login):
    """Every edit of a record documents the 409 of a stale version and the If-Match header, and
    the 409 the API gives matches the documented body."""
    client = login(team_manager)
    document = client.get("/api/schema/", {"format": "json"}).json()
    edits = {
        (method, path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if "{id}" in path and method in ("put", "patch", "post")
    }
    assert ("put", "/api/children/{id}/") in edits
    assert ("post", "/api/reviews/{id}/book/") in edits
    for key, operation in edits.items():
        assert "409" in operation["responses"], key
        assert "If-Match" in [p["name"] for p in operation.get("parameters", [])], key
    child_schema = document["components"]["schemas"]["Child"]
    assert "version" in child_schema["properties"]
    assert "version" in child_schema["required"]

    documented = document["paths"]["/api/children/{id}/"]["patch"]["responses"]["409"]
    ref = documented["content"]["application/json"]["schema"]["$ref"]
    conflict = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
    stale = child.version + 5
    response = client.patch(
        f"/api/children/{child.pk}/",
        {"first_name": "Renamed", "version": stale},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Someone else changed this record")
    jsonschema.validate(response.json(), conflict)
    child.refresh_from_db()
    assert child.first_name != "Renamed"


def _documented(document, path, method, code):
    """The documented body schema of one answer, with the components its $refs point into."""
    content = document["paths"][path][method]["responses"][code]["content"]["application/json"]
    return {**content["schema"], "components": document["components"]}


def test_every_operation_documents_its_error_answers(team_manager, login):
    document = login(team_manager).get("/api/schema/", {"format": "json"}).json()
    operations = [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]
    assert len(operations) >= 40
    for method, path, operation in operations:
        answers = operation["responses"]
        for code in ("403", "404", "429"):
            assert code in answers, (method, path, code)
            schema = answers[code]["content"]["application/json"]["schema"]
            assert schema["$ref"].endswith("/ErrorDetail"), (method, path, code)
        if method != "get":
            assert "400" in answers, (method, path)
    detail = document["components"]["schemas"]["ErrorDetail"]
    assert detail["required"] == ["detail"]


def test_the_error_bodies_the_api_gives_match_the_documented_ones(
    team_manager, board_member, iro_other, login, client, monkeypatch
):
    """A real 400, 403, 404 and 429 each validate against the schema documented for them."""
    from django.core.cache import cache

    from iro.api import ChildViewSet
    from iro.throttling import ServiceUserRateThrottle
    from tests.iro.factories import ChildFactory

    manager = login(team_manager)
    document = manager.get("/api/schema/", {"format": "json"}).json()

    refused = manager.post(
        "/api/children/",
        {"la_child_id": "../../etc", "first_name": "A", "last_name": "B", "upn": "A12345678901X"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    # Every field's format is checked at once, before the service's rules (the missing birth).
    assert set(refused.json()) == {"la_child_id", "upn"}
    jsonschema.validate(refused.json(), _documented(document, "/api/children/", "post", "400"))

    anonymous = client.get("/api/children/")
    assert anonymous.status_code == 403
    jsonschema.validate(anonymous.json(), _documented(document, "/api/children/", "get", "403"))
    board = login(board_member).get("/api/children/")
    assert board.status_code == 403
    jsonschema.validate(board.json(), _documented(document, "/api/children/", "get", "403"))

    hidden = ChildFactory(restricted=True)  # visible only to its IRO and managers
    missing = login(iro_other).get(f"/api/children/{hidden.pk}/")
    assert missing.status_code == 404
    jsonschema.validate(missing.json(), _documented(document, "/api/children/{id}/", "get", "404"))
    past_the_end = manager.get("/api/children/", {"page": 99})
    assert past_the_end.status_code == 404
    jsonschema.validate(past_the_end.json(), _documented(document, "/api/children/", "get", "404"))

    # The test settings turn throttling off; turn the service's throttle on for this viewset.
    monkeypatch.setattr(ChildViewSet, "throttle_classes", [ServiceUserRateThrottle])
    monkeypatch.setattr(ServiceUserRateThrottle, "THROTTLE_RATES", {"user": "2/hour"})
    cache.clear()
    try:
        answers = [manager.get("/api/children/").status_code for _ in range(3)]
        throttled = manager.get("/api/children/")
    finally:
        cache.clear()
    assert answers == [200, 200, 429]
    assert throttled.status_code == 429
    assert throttled.json()["detail"].startswith("Request was throttled")
    jsonschema.validate(throttled.json(), _documented(document, "/api/children/", "get", "429"))
