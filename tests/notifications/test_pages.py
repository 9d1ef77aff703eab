"""Inbox, header count, mark read, preferences; nobody sees or marks another user's notification."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from iro.notifications.models import Notification, NotificationPreference


def make_notes(user, count, **kwargs):
    return [
        Notification.objects.create(
            recipient=user,
            kind=kwargs.get("kind", "review_booking_soon"),
            object_type="reviews.review",
            object_id=i + 1,
            due_date=date(2026, 4, 24),
            title=f"Reminder number {i + 1}",
            url=kwargs.get("url", "/reviews/"),
        )
        for i in range(count)
    ]


@pytest.mark.parametrize(
    "persona", ["iro_allocated", "team_manager", "head_of_service", "performance_officer"]
)
def test_every_role_that_receives_them_sees_the_unread_count_in_the_header(
    personas, login, persona
):
    user = personas[persona]
    make_notes(user, 3)
    page = login(user).get(reverse("home"))
    assert page.status_code == 200
    assert b'data-testid="unread-count">3<' in page.content


def test_no_count_when_nothing_is_unread(iro_allocated, login):
    page = login(iro_allocated).get(reverse("home"))
    assert b'data-testid="notifications-link"' in page.content
    assert b"unread-count" not in page.content


def test_the_header_count_costs_one_query_whatever_the_number(iro_allocated, login):
    client = login(iro_allocated)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("notifications:inbox")).status_code == 200
        return len(ctx.captured_queries)

    make_notes(iro_allocated, 2)
    few = queries()
    Notification.objects.filter(recipient=iro_allocated).delete()
    make_notes(iro_allocated, 40)
    many = queries()
    assert few == many
    counts = [
        q["sql"] for q in ctx_sqls(client) if "COUNT" in q["sql"] and "notification" in q["sql"]
    ]
    # One count for the header, one for the paginator.
    assert len(counts) == 2


def ctx_sqls(client):
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("notifications:inbox"))
    return ctx.captured_queries


def test_inbox_lists_only_my_notifications(iro_allocated, iro_other, login):
    make_notes(iro_allocated, 2)
    Notification.objects.create(
        recipient=iro_other,
        kind="x",
        object_type="reviews.review",
        object_id=99,
        title="Bob's private reminder",
    )
    page = login(iro_allocated).get(reverse("notifications:inbox"))
    assert page.content.count(b'data-testid="notification"') == 2
    assert b"Bob&#x27;s private reminder" not in page.content
    assert b"private reminder" not in page.content


def test_following_a_notification_marks_it_read_and_goes_to_the_record(iro_allocated, login):
    (note,) = make_notes(iro_allocated, 1, url="/reviews/5/")
    response = login(iro_allocated).get(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/reviews/5/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_an_offsite_url_is_never_followed(iro_allocated, login):
    (note,) = make_notes(iro_allocated, 1, url="https://evil.example/")
    response = login(iro_allocated).get(reverse("notifications:open", args=[note.pk]))
    assert response["Location"] == reverse("notifications:inbox")


def test_mark_one_and_mark_all_read(iro_allocated, iro_other, login):
    notes = make_notes(iro_allocated, 3)
    others = make_notes(iro_other, 2)
    client = login(iro_allocated)
    client.post(reverse("notifications:mark_read", args=[notes[0].pk]))
    assert Notification.objects.filter(recipient=iro_allocated, read_at__isnull=True).count() == 2
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert b"2 notifications marked as read" in response.content
    assert Notification.objects.filter(recipient=iro_allocated, read_at__isnull=True).count() == 0
    # Bob's stay unread.
    assert Notification.objects.filter(pk__in=[n.pk for n in others], read_at=None).count() == 2


def test_a_user_cannot_open_or_mark_another_users_notification(iro_allocated, iro_other, login):
    (note,) = make_notes(iro_other, 1, url="/reviews/5/")
    client = login(iro_allocated)
    assert client.get(reverse("notifications:open", args=[note.pk])).status_code == 404
    assert client.post(reverse("notifications:mark_read", args=[note.pk])).status_code == 404
    assert client.get(reverse("notifications:open", args=[999999])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_read_needs_post(iro_allocated, login):
    (note,) = make_notes(iro_allocated, 1)
    client = login(iro_allocated)
    assert client.get(reverse("notifications:mark_read", args=[note.pk])).status_code == 405
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    note.refresh_from_db()
    assert note.read_at is None


def test_signed_out_users_are_sent_to_sign_in(iro_allocated, client):
    (note,) = make_notes(iro_allocated, 1)
    for url in [
        reverse("notifications:inbox"),
        reverse("notifications:preferences"),
        reverse("notifications:open", args=[note.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_preferences_save_the_kinds_and_the_digest(iro_allocated, login):
    client = login(iro_allocated)
    page = client.get(reverse("notifications:preferences"))
    assert b"An IRP is raised" in page.content
    response = client.post(
        reverse("notifications:preferences"),
        {"email_kinds": ["review_booking_soon", "irp_raised"], "daily_digest": "on"},
    )
    assert response.status_code == 302
    pref = NotificationPreference.objects.get(user=iro_allocated)
    assert pref.email_kinds == ["irp_raised", "review_booking_soon"]
    assert pref.daily_digest is True
    page = client.get(reverse("notifications:preferences"))
    assert page.content.count(b" checked") == 3


def test_an_unknown_kind_is_a_clear_error_and_saves_nothing(iro_allocated, login):
    client = login(iro_allocated)
    response = client.post(
        reverse("notifications:preferences"),
        {"email_kinds": ["review_booking_soon", "not_a_kind"], "daily_digest": "on"},
    )
    assert response.status_code == 400
    assert b"There is a problem" in response.content
    assert b"Select a valid choice" in response.content
    assert not NotificationPreference.objects.filter(user=iro_allocated).exists()


def test_a_board_member_has_an_empty_inbox(board_member, login):
    page = login(board_member).get(reverse("notifications:inbox"))
    assert page.status_code == 200
    assert b"You have no notifications" in page.content
