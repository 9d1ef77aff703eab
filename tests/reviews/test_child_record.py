"""What the reviews app adds to the child record: a section, timeline entries, meeting details."""

from datetime import date, timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from iro.registry import registry
from reviews.panels import child_section, meeting_details, timeline_entries
from tests.iro.factories import MeetingFactory
from tests.reviews.factories import ReviewFactory, at, booked_review, held_review

pytestmark = pytest.mark.django_db


def request_for(user):
    request = RequestFactory().get("/children/1/")
    request.user = user
    return request


def test_the_child_record_section_shows_the_next_review_and_the_history(child, iro_allocated):
    old = held_review(
        chair=iro_allocated, child=child, held_on=date(2024, 1, 10), due_date=date(2024, 1, 9)
    )
    upcoming = ReviewFactory(child=child, due_date=date(2030, 7, 10), sequence="second")
    panel = child_section(request_for(iro_allocated), child)
    assert panel.context["next_review"] == upcoming
    assert panel.context["history"] == [old]
    assert child_section in registry.child_sections


def test_board_members_get_no_review_section_or_timeline(child, board_member, iro_allocated):
    held_review(chair=iro_allocated, child=child, held_on=date(2024, 1, 10))
    assert child_section(request_for(board_member), child) is None
    assert timeline_entries(child, board_member) == []


def test_the_timeline_lists_held_reviews_with_their_timeliness(child, iro_allocated):
    held_review(
        chair=iro_allocated, child=child, held_on=date(2024, 1, 10), due_date=date(2024, 1, 9)
    )
    held_review(
        chair=iro_allocated, child=child, held_on=date(2024, 4, 2), due_date=date(2024, 4, 10)
    )
    entries = timeline_entries(child, iro_allocated)
    assert [(e.when, e.title) for e in entries] == [
        (date(2024, 1, 10), "First review held (out of timescale)"),
        (date(2024, 4, 2), "First review held (in timescale)"),
    ]


def test_meeting_details_cover_only_review_meetings_in_one_query(
    iro_allocated, django_assert_num_queries
):
    day = timezone.localdate() + timedelta(days=4)
    reviews = [booked_review(chair=iro_allocated, starts_at=at(day, 9 + 2 * i)) for i in range(3)]
    conference = MeetingFactory(kind="icpc", chair=iro_allocated, starts_at=at(day, 16))
    meetings = [r.meeting for r in reviews] + [conference]
    with django_assert_num_queries(1):
        details = meeting_details(meetings)
    assert set(details) == {r.meeting.pk for r in reviews}
    assert details[reviews[0].meeting.pk].label == f"First review: {reviews[0].child}"
    assert details[reviews[0].meeting.pk].due == reviews[0].due_date


def test_the_child_record_page_shows_the_reviews_section_and_timeline(login, child, iro_allocated):
    from django.urls import reverse

    held = held_review(
        chair=iro_allocated, child=child, held_on=date(2024, 1, 10), due_date=date(2024, 1, 9)
    )
    upcoming = ReviewFactory(child=child, due_date=date(2030, 7, 10), sequence="second")
    body = (
        login(iro_allocated)
        .get(reverse("children:detail", kwargs={"pk": child.pk}))
        .content.decode()
    )
    assert 'data-testid="child-reviews-section"' in body
    assert "Second review, due by 10 July 2030" in body
    assert reverse("reviews:detail", args=[held.pk]) in body
    assert reverse("reviews:detail", args=[upcoming.pk]) in body
    assert "First review held (out of timescale)" in body


def test_review_pages_link_back_to_the_child_record(login, child, iro_allocated):
    from django.urls import reverse

    review = ReviewFactory(child=child, due_date=date(2030, 7, 10))
    body = login(iro_allocated).get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert reverse("children:detail", kwargs={"pk": child.pk}) in body
