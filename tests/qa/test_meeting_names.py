"""A meeting names its child the same way (name and LA id) on the schedule and My work,
whichever app owns it."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from reviews.selectors import meeting_details
from tests.iro.factories import ChildFactory
from tests.protection.factories import ConferenceFactory, book
from tests.reviews.factories import at, booked_review


def test_reviews_and_conferences_are_labelled_kind_then_child_name_and_id(iro_allocated):
    day = timezone.localdate() + timedelta(days=3)
    review = booked_review(
        chair=iro_allocated,
        child=ChildFactory(first_name="Maya", last_name="Okafor", la_child_id="C7000001"),
        starts_at=at(day, 9),
    )
    conference = ConferenceFactory(
        child=ChildFactory(first_name="Leo", last_name="Khan", la_child_id="C7000002"),
        due=day + timedelta(days=5),
    )
    meeting = book(conference, iro_allocated, day, hour=14)
    details = meeting_details([review.meeting, meeting])
    assert details[review.meeting.pk].label == "First review: Maya Okafor (C7000001)"
    assert details[meeting.pk].label == "ICPC: Leo Khan (C7000002)"


def test_the_weekly_schedule_names_the_child_of_a_review(team_manager, iro_allocated, login):
    today = timezone.localdate()
    booked_review(
        chair=iro_allocated,
        child=ChildFactory(first_name="Maya", last_name="Okafor", la_child_id="C7000001"),
        starts_at=at(today + timedelta(days=7 - today.weekday()), 9),
    )
    body = login(team_manager).get(reverse("reviews:schedule")).content.decode()
    assert "First review: Maya Okafor (C7000001)" in body


def test_the_chase_list_on_the_schedule_names_the_child_as_other_lists_do(team_manager, login):
    from tests.reviews.factories import ReviewFactory

    ReviewFactory(
        child=ChildFactory(first_name="Maya", last_name="Okafor", la_child_id="C7000003"),
        due_date=timezone.localdate() + timedelta(days=2),
    )
    body = login(team_manager).get(reverse("reviews:schedule") + "?team=all").content.decode()
    assert ">Maya Okafor</a>" in body and "C7000003" in body
