"""Conference details the annual report counts: parents invited, the child's views, delay reason."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from protection import services
from protection.models import Conference
from tests.protection.factories import book, icpc_due_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked_icpc(child, iro_allocated):
    # Discussion Thu 10 Apr 2025: due 15 working days later, Tue 6 May (Good Friday, Easter
    # Monday and the 5 May bank holiday are not working days). Booked a day late.
    icpc = icpc_due_for(child, discussion_on=date(2025, 4, 10))
    assert icpc.due == date(2025, 5, 6)
    book(icpc, iro_allocated, date(2025, 5, 7), reason_after_due="Interpreter not available")
    return icpc


def record(conference, user, **fields):
    values = dict(held_on=date(2025, 5, 7), outcome="cin_plan", recorded_by=user)
    values.update(fields)
    return services.conference_record_outcome(conference=conference, **values)


def test_the_outcome_records_invitation_views_and_why_it_was_late(booked_icpc, iro_allocated):
    record(
        booked_icpc, iro_allocated, parents_invited=True, parents_attended=True,
        child_attended=False, child_views="advocate", delay_reason="interpreter",
    )  # fmt: skip
    conference = Conference.objects.get(pk=booked_icpc.pk)
    assert (conference.parents_invited, conference.child_views, conference.delay_reason) == (
        True,
        "advocate",
        "interpreter",
    )


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"parents_invited": False, "parents_attended": True}, "parents_invited"),
        ({"child_attended": False, "child_views": "spoke"}, "child_views"),
        ({"child_views": "telepathy"}, "child_views"),
        ({"delay_reason": "nonsense"}, "delay_reason"),
        ({"held_on": date(2025, 5, 6), "delay_reason": "interpreter"}, "delay_reason"),
    ],
)
def test_inconsistent_conference_details_are_refused(
    booked_icpc, iro_allocated, fields, error_field
):
    with pytest.raises(ValidationError) as error:
        record(booked_icpc, iro_allocated, **fields)
    assert error_field in error.value.message_dict
    assert Conference.objects.get(pk=booked_icpc.pk).status == "booked"


def test_the_api_takes_and_shows_the_conference_details(login, booked_icpc, iro_allocated):
    client = login(iro_allocated)
    url = f"/api/conferences/{booked_icpc.pk}/record_outcome/"
    bad = {"held_on": "2025-05-07", "outcome": "nfa", "child_views": "telepathy"}
    response = client.post(url, bad, content_type="application/json")
    assert response.status_code == 400 and "child_views" in response.json()
    good = {
        "held_on": "2025-05-07", "outcome": "nfa", "parents_invited": True,
        "parents_attended": False, "child_views": "written", "delay_reason": "late_information",
    }  # fmt: skip
    response = client.post(url, good, content_type="application/json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["parents_invited"], data["child_views"], data["delay_reason"]) == (
        True,
        "written",
        "late_information",
    )
