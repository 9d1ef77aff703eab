"""The inbox and emails of the daily work: email defaults, never an inactive account, notices
resolved when their condition is gone, and the inbox's done view and filters.

Dates are fixed (time frozen): a review due Friday 24 April 2026 must be booked by 10 April; the
"book it soon" reminder starts on 1 April (5 working days before, across Easter).
"""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from config.celery_app import app as celery_app
from iro.notifications.models import Notification, NotificationPreference
from iro.notifications.services import preference_update
from iro.registry import registry
from reviews.services.booking import review_book
from tests.iro.factories import AllocationFactory, ChildFactory
from tests.notifications.helpers import kinds_for, on, run_on
from tests.reviews.factories import ReviewFactory, at

DUE = date(2026, 4, 24)
SOON = date(2026, 4, 1)


@pytest.fixture
def eager():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def due_review(child):
    return ReviewFactory(child=child, due_date=DUE)


# --- 1. Email defaults ---------------------------------------------------------------------------


def test_the_kinds_a_service_sends_from_day_one_are_emailed_by_default_and_the_rest_are_not():
    defaults = registry.email_default_kinds
    for kind in [
        "review_booking_soon",
        "review_booking_missed",
        "conference_booking_soon",
        "conference_booking_missed",
        "irp_raised",
        "irp_escalated",
        "irp_response_due",
        "irp_response_overdue",
        "allocation_new",
    ]:
        assert kind in defaults, kind
    for kind in ["review_record_overdue", "cp_plan_15_months", "allocation_moved", "irp_replied"]:
        assert kind not in defaults, kind
    assert defaults < set(registry.notification_kinds)
    assert 0 < len(defaults) < len(registry.notification_kinds)


def test_a_user_who_never_chose_gets_a_due_soon_reminder_by_email(
    due_review, iro_allocated, eager, django_capture_on_commit_callbacks
):
    assert not NotificationPreference.objects.filter(user=iro_allocated).exists()
    with django_capture_on_commit_callbacks(execute=True):
        run_on(SOON)
    assert kinds_for(iro_allocated) == ["review_booking_soon"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [iro_allocated.email]
    assert f"/reviews/{due_review.pk}/" in mail.outbox[0].body


def test_a_saved_choice_is_kept_even_when_it_turns_the_defaults_off(
    due_review, iro_allocated, eager, django_capture_on_commit_callbacks
):
    preference_update(user=iro_allocated, email_kinds=[], daily_digest=False)
    with django_capture_on_commit_callbacks(execute=True):
        run_on(SOON)
    assert kinds_for(iro_allocated) == ["review_booking_soon"]  # still in the inbox
    assert mail.outbox == []


def test_the_preferences_page_shows_the_defaults_until_the_user_saves(iro_allocated, login):
    client = login(iro_allocated)
    page = client.get(reverse("notifications:preferences"))
    checked = page.content.decode().count(" checked")
    assert checked == len(registry.email_default_kinds)
    client.post(reverse("notifications:preferences"), {"email_kinds": ["irp_replied"]})
    page = client.get(reverse("notifications:preferences"))
    assert page.content.decode().count(" checked") == 1
    assert NotificationPreference.objects.get(user=iro_allocated).email_kinds == ["irp_replied"]


# --- 3. Never an inactive account ----------------------------------------------------------------


def test_an_inactive_iros_reminder_goes_to_their_team_manager_once(
    due_review, iro_allocated, team_manager, eager, django_capture_on_commit_callbacks
):
    iro_allocated.is_active = False
    iro_allocated.save()
    with django_capture_on_commit_callbacks(execute=True):
        run_on(SOON)
        run_on(date(2026, 4, 2))  # found again: nothing more
    assert kinds_for(iro_allocated) == []
    assert kinds_for(team_manager) == ["review_booking_soon"]
    note = Notification.objects.get(recipient=team_manager)
    assert note.title.startswith("For Alice Adeyemi (account inactive): CLA review of Jamie Smith")
    assert note.object_id == due_review.pk
    # The manager never chose, so the due-soon default emails it, once.
    assert [m.to for m in mail.outbox] == [[team_manager.email]]


def test_an_event_for_an_inactive_user_goes_to_the_manager_and_not_to_them(
    child, iro_allocated, iro_other, team_manager
):
    from iro.models import AllocationRole
    from iro.services.allocations import allocation_allocate

    iro_allocated.is_active = False
    iro_allocated.save()
    with on(date(2026, 4, 1)):
        allocation_allocate(
            child=child,
            iro=iro_other,
            role=AllocationRole.CLA,
            start=date(2026, 4, 1),
            reason="Leaver",
            by=team_manager,
        )
    assert kinds_for(iro_allocated) == []
    assert kinds_for(iro_other) == ["allocation_new"]
    assert kinds_for(team_manager) == ["allocation_moved"]
    assert Notification.objects.filter(recipient=team_manager).count() == 1


def test_a_manager_already_told_is_not_told_twice_for_the_inactive_iro(
    child, iro_allocated, team_manager
):
    """A review booked after its due date tells the IRO and the team manager: with the IRO
    inactive the manager still has one notification, their own."""
    iro_allocated.is_active = False
    iro_allocated.save()
    from tests.reviews.factories import booked_review

    booked_review(chair=team_manager, child=child, starts_at=at(date(2026, 4, 28)), due_date=DUE)
    run_on(date(2026, 4, 13))
    run_on(date(2026, 4, 14))
    assert kinds_for(team_manager, "review_booked_late") == ["review_booked_late"]
    assert not Notification.objects.filter(
        recipient=team_manager, title__startswith="For "
    ).exists()


# --- 4. The inbox clears -------------------------------------------------------------------------


def test_a_booking_reminder_is_resolved_once_the_review_is_booked(due_review, iro_allocated, login):
    run_on(SOON)
    note = Notification.objects.get(recipient=iro_allocated)
    assert note.resolved_at is None
    with on(date(2026, 4, 2)):
        review_book(
            review=due_review,
            chair=iro_allocated,
            starts_at=at(date(2026, 4, 22)),
            venue_type="office",
            booked_by=iro_allocated,
        )
    run_on(date(2026, 4, 2))
    note.refresh_from_db()
    assert note.resolved_at is not None
    client = login(iro_allocated)
    open_page = client.get(reverse("notifications:inbox"))
    assert open_page.context["page"].paginator.count == 0
    done_page = client.get(reverse("notifications:inbox") + "?view=done")
    assert [n.pk for n in done_page.context["notifications"]] == [note.pk]
    # A resolved notice no longer counts as unread in the header.
    assert open_page.context["unread_notifications"] == 0


def test_a_notice_still_true_stays_open(due_review, iro_allocated):
    run_on(SOON)
    run_on(date(2026, 4, 2))
    assert Notification.objects.get(recipient=iro_allocated).resolved_at is None


def test_the_user_can_mark_a_notice_done_but_not_another_users(
    due_review, iro_allocated, iro_other, login
):
    run_on(SOON)
    note = Notification.objects.get(recipient=iro_allocated)
    assert (
        login(iro_other).post(reverse("notifications:mark_done", args=[note.pk])).status_code == 404
    )
    note.refresh_from_db()
    assert note.resolved_at is None
    login(iro_allocated).post(reverse("notifications:mark_done", args=[note.pk]))
    note.refresh_from_db()
    assert note.resolved_at is not None and note.read_at is not None


@pytest.fixture
def two_children_notes(child, iro_allocated):
    """Two due reviews (Jamie Smith's and Robin Hart's) and their reminders; one read."""
    other = ChildFactory(first_name="Robin", last_name="Hart", la_child_id="C900002")
    AllocationFactory(child=other, iro=iro_allocated)
    ReviewFactory(child=child, due_date=DUE)
    ReviewFactory(child=other, due_date=DUE)
    run_on(SOON)
    notes = list(Notification.objects.filter(recipient=iro_allocated).order_by("child__last_name"))
    assert [n.child_id for n in notes] == [other.pk, child.pk]
    notes[0].read_at = notes[0].created_at
    notes[0].save()
    return other, notes


def test_the_inbox_filters_by_child_kind_and_read(two_children_notes, child, iro_allocated, login):
    other, (robin_note, jamie_note) = two_children_notes
    client = login(iro_allocated)
    url = reverse("notifications:inbox")

    def listed(query):
        page = client.get(url + query)
        assert page.status_code == 200
        return [n.pk for n in page.context["notifications"]]

    assert sorted(listed("")) == sorted([robin_note.pk, jamie_note.pk])
    assert listed(f"?child={child.pk}") == [jamie_note.pk]
    assert listed(f"?child={other.pk}") == [robin_note.pk]
    assert listed("?read=unread") == [jamie_note.pk]
    assert listed("?read=read") == [robin_note.pk]
    assert sorted(listed("?kind=review_booking_soon")) == sorted([robin_note.pk, jamie_note.pk])
    # A kind they have never had is not offered, and asking for it is refused by name.
    refused = client.get(url + "?kind=irp_raised")
    assert refused.status_code == 400
    assert "Choose a kind of notification from the list." in refused.content.decode()


def test_the_child_filter_lists_only_children_the_user_may_see(
    two_children_notes, child, iro_allocated, login
):
    """Robin is reallocated away: the notification stays Alice's, but the filter no longer offers
    Robin, and asking for Robin by id is refused like any unknown child."""
    from iro.models import Allocation

    other, _ = two_children_notes
    Allocation.objects.filter(child=other).delete()
    page = login(iro_allocated).get(reverse("notifications:inbox"))
    options = page.content.decode()
    assert "Jamie Smith (C900001)" in options
    assert "C900002" not in options.split('id="id_child"')[1].split("</select>")[0]
    refused = login(iro_allocated).get(reverse("notifications:inbox") + f"?child={other.pk}")
    assert refused.status_code == 400
    assert "Choose a child from the list." in refused.content.decode()
