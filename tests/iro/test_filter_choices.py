"""API filter forms and browsable-API forms offer only the children the user may see (iro.access);
an unknown id and an invisible id answer alike; production answers JSON only."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.iro.factories import AllocationFactory, ChildFactory, SiblingGroupFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

ENDPOINTS = [
    "/api/episodes/",
    "/api/allocations/",
    "/api/allocations/allocate/",
    "/api/concerns/",
    "/api/conferences/",
    "/api/children/",
]


@pytest.fixture
def hidden(iro_other):
    """A restricted child allocated to another IRO, in a named sibling group."""
    group = SiblingGroupFactory(name="Zebedee-Quill siblings")
    child = ChildFactory(
        first_name="Ottoline",
        last_name="Zebedee-Quill",
        la_child_id="HID0001",
        restricted=True,
        sibling_group=group,
    )
    AllocationFactory(child=child, iro=iro_other)
    return child


@pytest.mark.parametrize("persona", ["iro_allocated", "head_of_service", "performance_officer"])
@pytest.mark.parametrize("url", ENDPOINTS)
def test_browsable_forms_offer_only_visible_children(persona, url, personas, child, hidden, login):
    response = login(personas[persona]).get(url, {"format": "api"}, HTTP_ACCEPT="text/html")
    assert response.status_code in (200, 403, 405)
    body = response.content.decode()
    assert "Zebedee-Quill" not in body and "HID0001" not in body and "Ottoline" not in body
    if persona == "iro_allocated" and url in ("/api/episodes/", "/api/concerns/"):
        assert response.status_code == 200
        assert f'<option value="{child.pk}"' in body  # their own child is offered


def test_an_unknown_and_an_invisible_child_answer_alike(iro_allocated, child, hidden, login):
    client = login(iro_allocated)
    for url in ["/api/episodes/", "/api/allocations/", "/api/concerns/", "/api/conferences/"]:
        unknown = client.get(url, {"child": 999999})
        invisible = client.get(url, {"child": hidden.pk})
        assert unknown.status_code == invisible.status_code == 400, url
        assert unknown.json() == invisible.json(), url
        assert client.get(url, {"child": child.pk}).status_code == 200, url


def test_the_allocate_form_offers_only_iros(team_manager, iro_allocated, board_member, login):
    body = login(team_manager).get(reverse("allocation-allocate"), {"format": "api"}).content
    body = body.decode()
    assert f'<option value="{iro_allocated.pk}"' in body
    assert f'<option value="{board_member.pk}"' not in body


def test_production_answers_json_only():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.REST_FRAMEWORK['DEFAULT_RENDERER_CLASSES'])"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "a-long-random-production-secret-key-for-the-renderer-test-0987654321",
        "ALLOWED_HOSTS": "iro.example.gov.uk",
    }
    import os

    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['rest_framework.renderers.JSONRenderer']"
