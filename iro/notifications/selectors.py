"""Reads of notifications: a user's inbox and unread count (only ever their own)."""

from django.db.models import QuerySet
from django.http import Http404

from iro.notifications.models import Notification


def inbox(
    user,
    *,
    done: bool = False,
    kind: str = "",
    child=None,
    read: str = "",
) -> QuerySet[Notification]:
    """The user's open notifications, or with `done` those resolved; `kind`, `child` (a child
    from `filter_children`) and `read` ("read" or "unread") narrow it."""
    qs = Notification.objects.filter(recipient=user, resolved_at__isnull=not done)
    if kind:
        qs = qs.filter(kind=kind)
    if child is not None:
        qs = qs.filter(child=child)
    if read == "read":
        qs = qs.filter(read_at__isnull=False)
    elif read == "unread":
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


def filter_kinds(user) -> list[str]:
    """The kinds of notification the user has had, for the inbox's filter."""
    return list(
        Notification.objects.filter(recipient=user).values_list("kind", flat=True).distinct()
    )


def filter_children(user) -> QuerySet:
    """The children the user's notifications are about, only those iro.access lets them see."""
    from iro.access import children_visible_to

    return (
        children_visible_to(user)
        .filter(
            pk__in=Notification.objects.filter(recipient=user, child__isnull=False).values(
                "child_id"
            )
        )
        .order_by("last_name", "first_name", "pk")
    )


def unread_count(user) -> int:
    """Unread notifications still open: a resolved one no longer asks for attention."""
    return Notification.objects.filter(
        recipient=user, read_at__isnull=True, resolved_at__isnull=True
    ).count()


def get_own_notification_or_404(user, pk: int) -> Notification:
    """Another user's notification answers 404, the same as one that does not exist."""
    try:
        return Notification.objects.get(pk=pk, recipient=user)
    except Notification.DoesNotExist:
        raise Http404("No notification found") from None
