"""Email delivery of notifications: one at a time as they arrive, or a daily digest.

Mail goes through Django's mail settings (MAILERS): console or file when run locally, SMTP in
production. A notification is marked emailed before the send and unmarked if the send fails, so
a retry sends it again and two workers never both send it.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from iro.notifications.models import Notification, NotificationPreference


def absolute(url: str) -> str:
    if not url:
        return settings.SITE_URL.rstrip("/") + "/notifications/"  # type: ignore[union-attr]
    return settings.SITE_URL.rstrip("/") + url  # type: ignore[union-attr]


def email_notification(notification_id: int) -> bool:
    """Email one notification to its recipient. False when there is nothing to send."""
    now = timezone.now()
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=now
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    address = notification.recipient.email
    if not address or not notification.recipient.is_active:
        return False
    try:
        send_mail(
            subject=f"{settings.SERVICE_NAME}: {notification.title}",
            message=(
                f"{notification.title}\n\nOpen it in the {settings.SERVICE_NAME}: "
                f"{absolute(notification.url)}\n\nYou can choose which notifications come by "
                f"email at {absolute('/notifications/preferences/')}\n"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[address],
        )
    except Exception:
        Notification.objects.filter(pk=notification_id, emailed_at=now).update(emailed_at=None)
        raise
    return True


def send_digests(now=None) -> int:
    """One email per digest user listing the last day's notifications not emailed yet."""
    now = now or timezone.now()
    since = now - timedelta(days=1)
    sent = 0
    for pref in NotificationPreference.objects.filter(
        daily_digest=True, user__is_active=True
    ).select_related("user"):
        user = pref.user
        if not user.email:
            continue
        with transaction.atomic():
            rows = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(recipient=user, emailed_at__isnull=True, created_at__gte=since)
                .order_by("created_at", "pk")
            )
            if not rows:
                continue
            lines = [f"- {n.title}\n  {absolute(n.url)}" for n in rows]
            send_mail(
                subject=f"{settings.SERVICE_NAME}: {len(rows)} notification"
                f"{'s' if len(rows) != 1 else ''} today",
                message="Your notifications from the last day:\n\n" + "\n".join(lines) + "\n",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[user.email],
            )
            Notification.objects.filter(pk__in=[n.pk for n in rows]).update(emailed_at=now)
            sent += 1
    return sent
