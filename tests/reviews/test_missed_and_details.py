"""Missed reviews stay on record when care ends; the review details the annual report counts."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from iro.services.episodes import care_end, care_start
from reviews.models import Review, ReviewStatus
from reviews.services import review_record_outcome
from tests.iro.factories import CareEpisodeFactory
from tests.reviews.factories import at, booked_review

pytestmark = pytest.mark.django_db


def _start_care(child, on):
    episode = CareEpisodeFactory(child=child, start=on)
    from iro.signals import period_of_care_started

    period_of_care_started.send(sender=None, child=child, episode=episode)
    return episode


def test_ending_care_keeps_an_overdue_unbooked_review_as_missed(child):
    _start_care(child, date(2023, 4, 28))  # first review due 31 May 2023
    care_end(child=child, on=date(2023, 6, 20), reason_ceased="E4A")
    review = Review.objects.get(child=child)
    assert (review.status, review.due_date, review.held_on) == (
        ReviewStatus.MISSED,
        date(2023, 5, 31),
        None,
    )
    assert not Review.objects.filter(child=child, status__in=["due", "booked"]).exists()


def test_ending_care_before_the_review_falls_due_removes_it(child):
    _start_care(child, date(2023, 4, 28))
    care_end(child=child, on=date(2023, 5, 15), reason_ceased="E4A")
    assert not Review.objects.filter(child=child).exists()


def test_a_review_due_on_the_day_care_ends_was_not_missed(child):
    _start_care(child, date(2023, 4, 28))
    care_end(child=child, on=date(2023, 5, 31), reason_ceased="E4A")
    assert not Review.objects.filter(child=child).exists()


def test_a_missed_review_stays_when_the_child_comes_back_into_care(child):
    _start_care(child, date(2023, 4, 28))
    care_end(child=child, on=date(2023, 6, 20), reason_ceased="E4A")
    care_start(
        child=child, start=date(2023, 9, 1), legal_status="V2", category_of_need="N4",
        placement_type="U6", placement_provider="PR1", home_postcode="TS1 2AB",
        placement_postcode="TS5 6CD",
    )  # fmt: skip
    statuses = sorted(Review.objects.filter(child=child).values_list("status", "due_date"))
    assert statuses == [("due", date(2023, 9, 29)), ("missed", date(2023, 5, 31))]


def test_a_booked_overdue_review_is_left_for_the_iro_when_care_ends(child, iro_allocated):
    CareEpisodeFactory(child=child, start=date(2023, 4, 28))
    review = booked_review(
        chair=iro_allocated, child=child, starts_at=at(date(2023, 6, 5)),
        due_date=date(2023, 5, 31), period_start=date(2023, 4, 28),
    )  # fmt: skip
    care_end(child=child, on=date(2023, 6, 20), reason_ceased="E4A")
    review.refresh_from_db()
    assert review.status == ReviewStatus.BOOKED


@pytest.fixture
def booked(child, iro_allocated):
    CareEpisodeFactory(child=child, start=date(2023, 4, 28))
    return booked_review(
        chair=iro_allocated, child=child, starts_at=at(date(2023, 5, 30)),
        due_date=date(2023, 5, 31), period_start=date(2023, 4, 28),
    )  # fmt: skip


def record(review, user, **overrides):
    values = dict(
        held_on=date(2023, 5, 30), participation="PN6", child_attended=False,
        non_attendance_reason="child_choice", parents_attended=True, actual_venue="home",
        mode="hybrid", childs_views_considered=True, safeguarding_issue=True,
        safeguarding_types=["missing", "substance_misuse"], recorded_by=user,
        today=date(2023, 6, 1),
    )  # fmt: skip
    values.update(overrides)
    return review_record_outcome(review=review, **values)


def test_the_outcome_records_attendance_reason_mode_and_safeguarding_issues(booked, iro_allocated):
    review = record(booked, iro_allocated)
    review.refresh_from_db()
    assert (review.non_attendance_reason, review.mode, review.safeguarding_issue) == (
        "child_choice",
        "hybrid",
        True,
    )
    assert review.safeguarding_types == ["missing", "substance_misuse"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"non_attendance_reason": ""}, "non_attendance_reason"),
        ({"child_attended": True}, "non_attendance_reason"),
        ({"safeguarding_types": []}, "safeguarding_types"),
        ({"safeguarding_issue": False}, "safeguarding_types"),
        ({"mode": "virtual"}, "mode"),  # a virtual review at the child's home
        ({"mode": "in_person", "actual_venue": "virtual"}, "mode"),
    ],
)
def test_inconsistent_details_are_refused_and_nothing_is_saved(
    booked, iro_allocated, overrides, field
):
    with pytest.raises(ValidationError) as error:
        record(booked, iro_allocated, **overrides)
    assert field in error.value.message_dict
    booked.refresh_from_db()
    assert booked.status == ReviewStatus.BOOKED and booked.mode == ""


def test_the_mode_follows_from_the_venue_when_not_given(booked, iro_allocated):
    review = record(booked, iro_allocated, mode="", actual_venue="virtual")
    assert review.mode == "virtual"


def test_the_api_takes_and_shows_the_new_details(booked, iro_allocated, client):
    client.force_login(iro_allocated)
    payload = {
        "held_on": "2023-05-30", "participation": "PN6", "child_attended": False,
        "parents_attended": False, "actual_venue": "school", "mode": "in_person",
        "child_seen_before": True, "childs_views_considered": True, "safeguarding_issue": True,
        "safeguarding_types": ["gangs"],
    }  # fmt: skip
    url = f"/api/reviews/{booked.pk}/record_outcome/"
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 400
    assert "non_attendance_reason" in response.json()
    payload["non_attendance_reason"] = "education"
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["mode"], data["non_attendance_reason"], data["safeguarding_types"]) == (
        "in_person",
        "education",
        ["gangs"],
    )
