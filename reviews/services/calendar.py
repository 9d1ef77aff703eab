"""The private calendar link of an IRO: one live link at a time, revocable."""

from django.db import transaction
from django.utils import timezone

from reviews.models import CalendarFeed


@transaction.atomic
def calendar_feed_revoke(*, user) -> int:
    """Revoke the user's live link; the old URL answers 404 from now on."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


@transaction.atomic
def calendar_feed_create(*, user) -> CalendarFeed:
    """A new secret link for the user; any previous link is revoked."""
    calendar_feed_revoke(user=user)
    feed = CalendarFeed(user=user)
    feed.full_clean()
    feed.save()
    return feed
