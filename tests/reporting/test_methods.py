"""Every reporting and returns view declares its methods: a read-only page answers 405 to a POST
(and the few that change something answer 405 to a GET), whatever the user may otherwise do."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.iro.factories import make_user

pytestmark = pytest.mark.django_db

# The reporting views that change something (or make a recorded download): POST only, or GET
# for their form and POST to save it.
WRITES = {
    "reporting:annual-refresh": {"POST"},
    "reporting:board-refresh": {"POST"},
    "reporting:snapshot-publish": {"GET", "POST"},
    "reporting:snapshot-correct": {"GET", "POST"},
    "reporting:snapshot-withdraw": {"GET", "POST"},
    "reporting:returns-import": {"GET", "POST"},
    "reporting:returns-903-zip": {"POST"},
    "reporting:returns-cin-xml": {"POST"},
    # The Word document: a GET or POST starts a recorded build and redirects to its progress.
    "reporting:annual-docx": {"GET", "HEAD", "POST"},
    "reporting:annual-commentary": {"GET", "HEAD", "POST"},
}
ARGS = {"year": 2024, "pk": 1, "figure_id": "CLA-01", "section": "reviews"}


def _reporting_routes() -> list[tuple[str, list]]:
    """(name, args) of every URL pattern under /reporting/, walked from the URL configuration."""
    out = []

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name and namespace == "reporting":
                args = [ARGS[k] for k in p.pattern.converters]
                out.append((f"reporting:{p.name}", args))

    walk(get_resolver().url_patterns, None)
    return out


ROUTES = _reporting_routes()


def test_the_walk_finds_the_returns_and_reporting_pages():
    names = {name for name, _ in ROUTES}
    assert {
        "reporting:returns-home",
        "reporting:returns-903-check",
        "reporting:returns-annex-a",
        "reporting:returns-import-run",
        "reporting:returns-import-status",
        "reporting:annual",
        "reporting:figure-rows",
        "reporting:scorecard-xlsx",
    } <= names
    assert set(WRITES) <= names
    assert len(names) >= 30


@pytest.fixture
def superuser(db):
    """Every permission: the method check alone decides the answer."""
    return make_user(None, username="root", is_superuser=True, is_staff=True)


@pytest.mark.parametrize(("name", "args"), ROUTES, ids=[name for name, _ in ROUTES])
def test_a_read_only_page_answers_405_to_a_post(name, args, superuser, login):
    client = login(superuser)
    url = reverse(name, args=args)
    allowed = WRITES.get(name, {"GET", "HEAD"})
    if "POST" not in allowed:
        response = client.post(url)
        assert response.status_code == 405, f"POST {url} answered {response.status_code}"
        assert set(response["Allow"].split(", ")) == {"GET", "HEAD"}
        # No other writing method gets through either.
        for method in (client.put, client.patch, client.delete):
            assert method(url).status_code == 405
    else:
        assert client.post(url).status_code != 405
    if "GET" not in allowed:
        assert client.get(url).status_code == 405, f"GET {url}"
