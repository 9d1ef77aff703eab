"""Lost updates: two people edit the same record at once; the second save is refused.

Each test opens the edit form (or reads the API record) twice, as two people would, saves the
first and then the second. The second gets the "someone else changed this record" message (the
page: 400 with what was typed kept; the API: 409) and the first person's change stays.
"""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.forms import MultiWidget
from django.urls import reverse

from iro.concurrency import STALE_MESSAGE, StaleRecord
from iro.models import CareEpisode, Child
from iro.services.children import child_update
from tests.iro.factories import CareEpisodeFactory

pytestmark = pytest.mark.django_db

STALE_START = "Someone else changed this record since you opened it"


def post_data(form, **changes) -> dict:
    """What a browser sends for `form` as rendered, with `changes` typed over it."""
    data = {}
    for bound in form:
        name, value = bound.html_name, changes.get(bound.name, bound.value())
        widget = bound.field.widget
        if isinstance(widget, MultiWidget):
            parts = widget.decompress(value) if not isinstance(value, list) else value
            for i, part in enumerate(parts):
                data[f"{name}_{i}"] = "" if part is None else part
        elif isinstance(value, list):
            data[name] = value
        elif value is None:
            data[name] = ""
        else:
            data[name] = value
    return data


def open_form(client, url, key="form"):
    response = client.get(url)
    assert response.status_code == 200
    return response.context[key]


def assert_second_save_refused(response, typed: str) -> None:
    body = response.content.decode()
    assert response.status_code == 400
    assert STALE_START in body
    assert "govuk-error-summary" in body
    assert typed in body  # what the second person typed is still on the form


# --- Child ------------------------------------------------------------------------------------


def test_two_people_edit_a_child_the_second_save_is_refused_and_keeps_the_typing(
    child, team_manager, login
):
    url = reverse("children:edit", args=[child.pk])
    first, second = login(team_manager), login(team_manager)
    form_a, form_b = open_form(first, url), open_form(second, url)
    assert first.post(url, post_data(form_a, first_name="Jamie-Lee")).status_code == 302
    refused = second.post(url, post_data(form_b, first_name="Jayden"))
    assert_second_save_refused(refused, "Jayden")
    child.refresh_from_db()
    assert (child.first_name, child.version) == ("Jamie-Lee", 2)
    # Having seen the message, the second person saves again and it is accepted.
    again = second.post(url, post_data(refused.context["form"], first_name="Jayden"))
    assert again.status_code == 302
    child.refresh_from_db()
    assert (child.first_name, child.version) == ("Jayden", 3)


def test_the_api_refuses_a_stale_child_update_with_409(child, team_manager, login):
    client = login(team_manager)
    opened = client.get(f"/api/children/{child.pk}/").json()
    assert opened["version"] == 1
    first = client.patch(
        f"/api/children/{child.pk}/",
        {"first_name": "Jamie-Lee", "version": 1},
        content_type="application/json",
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    second = client.patch(
        f"/api/children/{child.pk}/",
        {"first_name": "Jayden", "version": 1},
        content_type="application/json",
    )
    assert second.status_code == 409
    assert second.json() == {"detail": STALE_MESSAGE}
    by_header = client.patch(
        f"/api/children/{child.pk}/",
        {"first_name": "Jayden"},
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )
    assert by_header.status_code == 409
    child.refresh_from_db()
    assert (child.first_name, child.version) == ("Jamie-Lee", 2)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_child_saves_with_the_same_version_one_wins(child):
    barrier = threading.Barrier(2)
    results = []

    def save(name):
        try:
            barrier.wait()
            child_update(child=Child.objects.get(pk=child.pk), version=1, first_name=name)
            results.append("ok")
        except StaleRecord:
            results.append("stale")
        except ValidationError:
            results.append("other")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in ("Ann", "Bea")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "stale"]
    assert Child.objects.get(pk=child.pk).version == 2


# --- Care episode -----------------------------------------------------------------------------


@pytest.fixture
def episode(child):
    return CareEpisodeFactory(child=child, start=date(2025, 1, 6))


def test_two_people_correct_an_episode_the_second_is_refused(child, episode, team_manager, login):
    url = reverse("children:episode_correct", args=[child.pk, episode.pk])
    first, second = login(team_manager), login(team_manager)
    form_a, form_b = open_form(first, url), open_form(second, url)
    assert first.post(url, post_data(form_a, home_postcode="TS1 9ZZ")).status_code == 302
    refused = second.post(url, post_data(form_b, home_postcode="TS2 8YY"))
    assert_second_save_refused(refused, "TS2 8YY")
    episode.refresh_from_db()
    assert (episode.home_postcode, episode.version) == ("TS1 9ZZ", 2)


def test_the_api_refuses_a_stale_episode_correction_with_409(episode, team_manager, login):
    client = login(team_manager)
    url = f"/api/episodes/{episode.pk}/"
    assert client.get(url).json()["version"] == 1
    ok = client.patch(url, {"home_postcode": "TS1 9ZZ", "version": 1}, "application/json")
    assert ok.status_code == 200
    stale = client.patch(url, {"home_postcode": "TS2 8YY", "version": 1}, "application/json")
    assert stale.status_code == 409 and stale.json()["detail"] == STALE_MESSAGE
    assert CareEpisode.objects.get(pk=episode.pk).home_postcode == "TS1 9ZZ"
