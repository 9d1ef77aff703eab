"""Writes of notifications: create (at most once per reminder), mark read, resolve, preferences."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from iro.notifications.models import Notification, NotificationPreference
from iro.registry import Reminder, registry
from iro.signals import notifications_to_email

logger = logging.getLogger(__name__)

INSERT_BATCH = 500


def _texts_for(reminders: list[Reminder]) -> list[str]:
    """The text each recipient may read: the child's name only where iro.access allows it."""
    from iro.access import children_visible_to
    from iro.models import User

    wanted: dict[int, set[int]] = defaultdict(set)
    for reminder in reminders:
        wanted[reminder.recipient_id].update(reminder.child_ids)
    visible: dict[int, set[int]] = {}
    users = User.objects.in_bulk([uid for uid, ids in wanted.items() if ids])
    for user_id, child_ids in wanted.items():
        user = users.get(user_id)
        if not child_ids or user is None:
            visible[user_id] = set()
            continue
        visible[user_id] = set(
            children_visible_to(user).filter(pk__in=child_ids).values_list("pk", flat=True)
        )
    texts = []
    for reminder in reminders:
        named = (
            bool(reminder.child_ids) and set(reminder.child_ids) <= visible[reminder.recipient_id]
        )
        texts.append(reminder.text if named else reminder.text_anonymous)
    return texts


def deliverable(reminders: Iterable[Reminder]) -> list[Reminder]:
    """The reminders as they are to be written: never to an inactive account.

    What an inactive user would have received goes instead to the manager of their team (every
    team manager when the team has none: iro.notifications.people), with the user named. The
    manager's reminder keeps the kind, record and due date, so the ledger sends it at most once,
    however many runs find it, and not at all when the manager is told the same already.
    """
    from iro.models import User
    from iro.notifications.people import team_manager_ids_for

    reminders = [r for r in reminders if r.recipient_id]
    if not reminders:
        return []
    inactive = {
        user.pk: user
        for user in User.objects.filter(pk__in={r.recipient_id for r in reminders}, is_active=False)
    }
    if not inactive:
        return reminders
    managers = team_manager_ids_for(inactive)

    def key(r: Reminder) -> tuple:
        return (r.kind, r.object_type, r.object_id, r.due_date, r.recipient_id)

    result = [r for r in reminders if r.recipient_id not in inactive]
    # A manager told the same reminder directly keeps that one; an event (no due date) is kept
    # once per manager in this call.
    seen = {key(r) for r in result}
    for reminder in reminders:
        if reminder.recipient_id not in inactive:
            continue
        user = inactive[reminder.recipient_id]
        prefix = f"For {user.get_full_name() or user.username} (account inactive): "
        for manager_id in managers[reminder.recipient_id]:
            moved = replace(
                reminder,
                recipient_id=manager_id,
                text=prefix + reminder.text,
                text_anonymous=prefix + reminder.text_anonymous,
            )
            if key(moved) in seen:
                continue
            seen.add(key(moved))
            result.append(moved)
    return result


def notifications_create(*, reminders: Iterable[Reminder]) -> list[int]:
    """Insert the reminders not sent before; returns the ids of the new notifications.

    `INSERT ... ON CONFLICT DO NOTHING RETURNING id` against the unique constraint on (kind,
    object type, object id, due date, recipient): two workers running the same rule at once both
    try, the database keeps one row, and only the winner sees its id back (and emails it).
    No account that is inactive is written to (see `deliverable`).
    """
    reminders = deliverable(reminders)
    if not reminders:
        return []
    texts = _texts_for(reminders)
    table = Notification._meta.db_table
    columns = (
        "recipient_id, kind, object_type, object_id, due_date, title, url, created_at, child_id"
    )
    now = timezone.now()
    new: list[tuple[int, int, str]] = []
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(reminders), INSERT_BATCH):
            batch = list(zip(reminders, texts, strict=True))[start : start + INSERT_BATCH]
            placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(batch))
            params: list = []
            for reminder, text in batch:
                params += [
                    reminder.recipient_id,
                    reminder.kind,
                    reminder.object_type,
                    reminder.object_id,
                    reminder.due_date,
                    text[:300],
                    reminder.url[:300],
                    now,
                    reminder.child_ids[0] if len(reminder.child_ids) == 1 else None,
                ]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {placeholders} "
                "ON CONFLICT DO NOTHING RETURNING id, recipient_id, kind",
                params,
            )
            new += cursor.fetchall()
        _email_on_commit(new)
    return [row[0] for row in new]


def email_kinds_of(user_ids: Iterable[int]) -> dict[int, set[str]]:
    """{user id: the kinds emailed to them}: their saved choice, or the apps' defaults."""
    user_ids = set(user_ids)
    chosen = {
        p.user_id: set(p.email_kinds)
        for p in NotificationPreference.objects.filter(user_id__in=user_ids)
    }
    return {uid: chosen.get(uid, set(registry.email_default_kinds)) for uid in user_ids}


def _email_on_commit(new: list[tuple[int, int, str]]) -> None:
    if not new:
        return
    kinds = email_kinds_of(r[1] for r in new)
    to_email = [pk for pk, user_id, kind in new if kind in kinds[user_id]]
    if not to_email:
        return
    notifications_to_email.send(sender=Notification, ids=to_email)


def notification_mark_read(*, user, notification: Notification) -> Notification:
    if notification.recipient_id != user.pk:
        raise ValidationError("This notification is not yours.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(
        recipient=user, read_at__isnull=True, resolved_at__isnull=True
    ).update(read_at=timezone.now())


def notification_mark_done(*, user, notification: Notification) -> Notification:
    """The recipient says a notification needs nothing more: it moves to "Done" (and is read)."""
    if notification.recipient_id != user.pk:
        raise ValidationError("This notification is not yours.")
    now = timezone.now()
    Notification.objects.filter(pk=notification.pk, resolved_at__isnull=True).update(
        resolved_at=now
    )
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
    notification.refresh_from_db(fields=["resolved_at", "read_at"])
    return notification


def notifications_resolve_gone(*, kinds: Iterable[str], found: Iterable[Reminder]) -> int:
    """Resolve the open notifications of `kinds` that a rule run no longer finds.

    `found` is everything the run found (as written: `deliverable`); a notification whose (kind,
    record, due date, recipient) is not among them has lost its condition (the review was booked,
    the IRP answered, the child allocated). Returns how many were resolved.
    """
    kinds = list(kinds)
    if not kinds:
        return 0
    keys = {(r.kind, r.object_type, r.object_id, r.due_date, r.recipient_id) for r in found}
    gone = [
        pk
        for pk, *key in Notification.objects.filter(
            kind__in=kinds, resolved_at__isnull=True
        ).values_list("pk", "kind", "object_type", "object_id", "due_date", "recipient_id")
        if tuple(key) not in keys
    ]
    if not gone:
        return 0
    return Notification.objects.filter(pk__in=gone, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )


def preference_update(*, user, email_kinds: Iterable[str], daily_digest: bool):
    kinds = sorted(set(email_kinds))
    unknown = [k for k in kinds if k not in registry.notification_kinds]
    if unknown:
        raise ValidationError({"email_kinds": "Choose kinds of notification from the list."})
    pref, _ = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email_kinds": kinds, "daily_digest": bool(daily_digest)}
    )
    return pref
