"""Lost updates: two people edit the same record at once; the second save is refused.

Each test opens the edit form (or reads the API record) twice, as two people would, saves the
first and then the second. The second gets the "someone else changed this record" message (the
page: 400 with what was typed kept; the API: 409) and the first person's change stays.
"""

import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.forms import MultiWidget
from django.urls import reverse
from django.utils import timezone

from iro.concurrency import STALE_MESSAGE, StaleRecord
from iro.models import CareEpisode, Child
from iro.services.children import child_update
from tests.iro.factories import AllocationFactory, CareEpisodeFactory, ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sw_manager(db):
    from iro.models import ResponderLevel
    from tests.escalations.factories import make_responder

    return make_responder(ResponderLevel.SW_TEAM_MANAGER, username="sam")


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


# --- Reviews ----------------------------------------------------------------------------------


@pytest.fixture
def booked(child, iro_allocated):
    from tests.reviews.factories import at, booked_review

    return booked_review(
        chair=iro_allocated, child=child, starts_at=at(timezone.localdate() + timedelta(days=9), 10)
    )


def test_two_people_record_review_preparation_the_second_is_refused(booked, iro_allocated, login):
    url = reverse("reviews:preparation", args=[booked.pk])
    first, second = login(iro_allocated), login(iro_allocated)
    form_a, form_b = open_form(first, url), open_form(second, url)
    assert first.post(url, post_data(form_a, child_seen_before="yes")).status_code == 302
    refused = second.post(url, post_data(form_b, child_seen_before="no", parents_invited="yes"))
    assert refused.status_code == 400 and STALE_START in refused.content.decode()
    assert refused.context["form"]["parents_invited"].value() == "yes"  # the typing is kept
    booked.refresh_from_db()
    assert (booked.child_seen_before, booked.parents_invited) == (True, None)


def test_the_api_refuses_a_review_action_on_a_stale_version_with_409(booked, iro_allocated, login):
    client = login(iro_allocated)
    opened = client.get(f"/api/reviews/{booked.pk}/").json()["version"]
    # Someone else records the preparation meanwhile.
    url = reverse("reviews:preparation", args=[booked.pk])
    form = open_form(client, url)
    assert client.post(url, post_data(form, child_seen_before="yes")).status_code == 302
    stale = client.post(
        f"/api/reviews/{booked.pk}/cancel/",
        {"reason": "Family on holiday", "version": opened},
        content_type="application/json",
    )
    assert stale.status_code == 409 and stale.json()["detail"] == STALE_MESSAGE
    booked.refresh_from_db()
    assert booked.status == "booked"


# --- Protection -------------------------------------------------------------------------------


@pytest.fixture
def booked_icpc(child, iro_allocated):
    from tests.protection.factories import book, icpc_due_for

    icpc = icpc_due_for(child, discussion_on=timezone.localdate() - timedelta(days=3))
    book(icpc, iro_allocated, timezone.localdate() + timedelta(days=7), reason_after_due="Family")
    icpc.refresh_from_db()
    return icpc


def test_two_people_reschedule_a_conference_the_second_is_refused(
    booked_icpc, iro_allocated, head_of_service, login
):
    url = reverse("protection:conference_reschedule", args=[booked_icpc.pk])
    first, second = login(iro_allocated), login(iro_allocated)
    form_a, form_b = open_form(first, url), open_form(second, url)
    day = timezone.localdate() + timedelta(days=8)
    common = {
        "start_time": "10:00",
        "agreed_by": head_of_service.pk,
        "reason_after_due": "x",
        "confirm_time": "on",  # either day may fall at a weekend: confirmed
    }
    ok = first.post(url, post_data(form_a, day=day, reason="Chair ill", **common))
    assert ok.status_code == 302
    refused = second.post(
        url, post_data(form_b, day=day + timedelta(days=1), reason="Parent at work", **common)
    )
    assert_second_save_refused(refused, "Parent at work")
    booked_icpc.refresh_from_db()
    assert timezone.localdate(booked_icpc.meeting.starts_at) == day


def test_the_api_refuses_a_stale_conference_reschedule_and_plan_end_with_409(
    booked_icpc, child, iro_allocated, head_of_service, login
):
    from tests.protection.factories import plan_from_icpc

    client = login(iro_allocated)
    url = f"/api/conferences/{booked_icpc.pk}/reschedule/"
    version = client.get(f"/api/conferences/{booked_icpc.pk}/").json()["version"]
    body = {
        "starts_at": f"{timezone.localdate() + timedelta(days=8)}T10:00:00Z",
        "reason": "Chair ill",
        "agreed_by": head_of_service.pk,
        "reason_after_due": "Family",
        "version": version,
    }
    assert client.post(url, body, content_type="application/json").status_code == 200
    stale = client.post(url, body, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["detail"] == STALE_MESSAGE

    plan = plan_from_icpc(
        ChildFactory(), iro_allocated, discussion_on=date(2025, 4, 10), held_on=date(2025, 5, 1)
    )
    AllocationFactory(child=plan.child, iro=iro_allocated)
    plan_url = f"/api/cp-plans/{plan.pk}/end/"
    old = client.get(f"/api/cp-plans/{plan.pk}/?include_ended=true").json()["version"]
    plan.latest_category = "PHY"
    plan.save()  # someone else changes the plan
    ended = client.post(
        plan_url,
        {"end": "2025-09-01", "reason": "no_longer_at_risk", "version": old},
        content_type="application/json",
    )
    assert ended.status_code == 409
    plan.refresh_from_db()
    assert plan.end is None


# --- Escalations ------------------------------------------------------------------------------


def test_an_irp_changed_in_another_tab_refuses_the_stale_action_and_keeps_the_note(
    child, iro_allocated, sw_manager, head_of_service, login
):
    from tests.escalations.factories import raise_irp, stage

    irp = raise_irp(iro=iro_allocated, children=[child], responder=sw_manager)
    url = reverse("escalations:detail", args=[irp.pk])
    first, second = login(iro_allocated), login(iro_allocated)
    forms_a, forms_b = open_form(first, url, "forms"), open_form(second, url, "forms")
    escalated = first.post(
        reverse("escalations:escalate", args=[irp.pk]),
        post_data(forms_a["escalate"], stage=stage(2).pk, responder=head_of_service.pk),
    )
    assert escalated.status_code == 302
    refused = second.post(
        reverse("escalations:withdraw", args=[irp.pk]),
        post_data(forms_b["withdraw"], note="Matched with carers"),
    )
    assert_second_save_refused(refused, "Matched with carers")
    irp.refresh_from_db()
    assert irp.status == "awaiting_response" and irp.closed_on is None


def test_the_api_refuses_stale_concern_and_irp_actions_with_409(
    child, iro_allocated, sw_manager, login
):
    from tests.escalations.factories import ConcernFactory, raise_irp

    client = login(iro_allocated)
    concern = ConcernFactory(child=child, raised_by=iro_allocated)
    version = client.get(f"/api/concerns/{concern.pk}/").json()["version"]
    concern.description = "Updated by someone else"
    concern.save()
    stale = client.post(
        f"/api/concerns/{concern.pk}/resolve/",
        {"outcome": "Plan updated", "version": version},
        content_type="application/json",
    )
    assert stale.status_code == 409
    concern.refresh_from_db()
    assert concern.status == "open"

    irp = raise_irp(iro=iro_allocated, children=[child], responder=sw_manager)
    version = client.get(f"/api/escalations/{irp.pk}/").json()["version"]
    referred = client.post(
        f"/api/escalations/{irp.pk}/refer-cafcass/",
        {"note": "Court", "version": version},
        content_type="application/json",
    )
    assert referred.status_code == 200, referred.content
    stale = client.post(
        f"/api/escalations/{irp.pk}/withdraw/",
        {"note": "Resolved", "version": version},
        content_type="application/json",
        HTTP_IF_MATCH=str(version),
    )
    assert stale.status_code == 409
    irp.refresh_from_db()
    assert irp.status == "referred_to_cafcass"
