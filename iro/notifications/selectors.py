"""Reads of notifications: a user's inbox and unread count (only ever their own)."""

from django.db.models import QuerySet
from django.http import Http404

from iro.notifications.models import Notification


def inbox(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def get_own_notification_or_404(user, pk: int) -> Notification:
    """Another user's notification answers 404, the same as one that does not exist."""
    try:
        return Notification.objects.get(pk=pk, recipient=user)
    except Notification.DoesNotExist:
        raise Http404("No notification found") from None
