"""The private calendar feed: token-authenticated, revocable, with no child names."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from reviews.models import CalendarFeed
from reviews.services import calendar_feed_create, calendar_feed_revoke
from tests.reviews.factories import at, booked_review

pytestmark = pytest.mark.django_db


def feed_url(feed) -> str:
    return reverse("calendar_feed", args=[feed.token])


def test_the_feed_lists_the_iros_meetings_with_child_ids_and_no_names(
    client, iro_allocated, iro_other, child
):
    mine = booked_review(
        chair=iro_allocated, child=child, starts_at=at(timezone.localdate() + timedelta(days=5))
    )
    booked_review(chair=iro_other, starts_at=at(timezone.localdate() + timedelta(days=5)))
    feed = calendar_feed_create(user=iro_allocated)
    response = client.get(feed_url(feed))  # no sign-in: calendar apps cannot sign in
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["uid"]).startswith(f"meeting-{mine.meeting.pk}@")
    assert child.la_child_id in str(event["summary"])
    assert str(event["location"]) == "Office"
    body = response.content.decode()
    assert child.first_name not in body and child.last_name not in body


def test_an_unknown_or_revoked_token_answers_404(client, iro_allocated):
    feed = calendar_feed_create(user=iro_allocated)
    assert client.get(reverse("calendar_feed", args=["not-a-token"])).status_code == 404
    calendar_feed_revoke(user=iro_allocated)
    assert client.get(feed_url(feed)).status_code == 404


def test_a_new_link_revokes_the_old_one(client, iro_allocated):
    old = calendar_feed_create(user=iro_allocated)
    new = calendar_feed_create(user=iro_allocated)
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200
    assert CalendarFeed.objects.filter(user=iro_allocated, revoked_at__isnull=True).count() == 1


def test_the_iro_creates_and_revokes_the_link_on_the_page(login, iro_allocated):
    client = login(iro_allocated)
    client.post(reverse("reviews:calendar"), {"action": "create"})
    feed = CalendarFeed.objects.get(user=iro_allocated, revoked_at__isnull=True)
    assert feed.token in client.get(reverse("reviews:calendar")).content.decode()
    client.post(reverse("reviews:calendar"), {"action": "revoke"})
    assert not CalendarFeed.objects.filter(user=iro_allocated, revoked_at__isnull=True).exists()


@pytest.mark.parametrize(
    "persona", ["board_member", "performance_officer", "team_manager", "administrator"]
)
def test_only_iros_have_a_calendar_link_page(persona, request, login):
    assert (
        login(request.getfixturevalue(persona)).get(reverse("reviews:calendar")).status_code == 403
    )


def test_a_deactivated_user_loses_the_feed(client, iro_allocated):
    feed = calendar_feed_create(user=iro_allocated)
    iro_allocated.is_active = False
    iro_allocated.save()
    assert client.get(feed_url(feed)).status_code == 404


def test_the_feed_stops_when_its_owner_leaves_the_iro_group(client, iro_allocated):
    feed = calendar_feed_create(user=iro_allocated)
    assert client.get(feed_url(feed)).status_code == 200
    iro_allocated.groups.clear()
    assert client.get(feed_url(feed)).status_code == 404


def test_a_restricted_child_shows_as_restricted_with_no_la_id(client, iro_allocated, child):
    child.restricted = True
    child.save()
    booked_review(
        chair=iro_allocated, child=child, starts_at=at(timezone.localdate() + timedelta(days=5))
    )
    response = client.get(feed_url(calendar_feed_create(user=iro_allocated)))
    body = response.content.decode()
    assert child.la_child_id not in body
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["summary"]).endswith("child restricted")
