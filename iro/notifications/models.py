"""A notification to one user; the reminder ledger; each user's email choices; rule runs."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Notification(models.Model):
    """One message to one user about one record.

    A reminder is identified by (kind, object type, object id, due date, recipient): the unique
    constraint makes the notification table the ledger that keeps a reminder to at most one row,
    whatever runs the rules twice. Events (an IRP raised, a child allocated) carry no due date and
    are not deduplicated: each happens once.

    A notification is resolved (`resolved_at`) when its condition is gone, found by the rule run
    that no longer finds it (the review was booked, the IRP answered), or when its recipient
    marks it done; the inbox then lists it under "Done". `child` is the one child it is about,
    when there is one, for the inbox's filter (which lists only children iro.access lets the
    recipient see).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60, help_text="app_label.model of the record")
    object_id = models.PositiveBigIntegerField()
    due_date = models.DateField(null=True, blank=True)
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    child = models.ForeignKey(
        "iro.Child", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
            models.Index(
                fields=["kind"], condition=Q(resolved_at__isnull=True), name="notification_open"
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_type", "object_id", "due_date", "recipient"],
                name="reminder_sent_at_most_once",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def is_done(self) -> bool:
        return self.resolved_at is not None


class NotificationPreference(models.Model):
    """Which kinds of notification also come by email, and whether a daily digest does.

    A row is a user's own choice, saved from the preferences page. A user without one gets the
    kinds the apps email by default (`registry.email_default_kinds`), so defaults reach everyone
    who never chose, and a saved choice is kept as it is.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_kinds = models.JSONField(default=list, blank=True)
    daily_digest = models.BooleanField(
        default=False, help_text="One email a day listing the notifications not emailed already"
    )

    def __str__(self) -> str:
        return f"Notification preferences of {self.user}"


class RuleRun(models.Model):
    """One run of one reminder rule: when, how many reminders it found and how many were new."""

    rule = models.CharField(max_length=80)
    schedule = models.CharField(max_length=10)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    found = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0, help_text="New notifications created")
    sent_by_kind = models.JSONField(default=dict, blank=True, help_text="New notifications by kind")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["rule", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.rule} at {self.started_at:%Y-%m-%d %H:%M}"
