"""Idempotency tokens of create forms: one row per form sent, so a repeat finds the record."""

from django.conf import settings
from django.db import models


class Submission(models.Model):
    """A create form, sent once: its token (a hidden field), who sent it and where its record is.

    The unique constraint on (token, user) makes a double submission wait for the first and then
    answer with the record it made, instead of creating a second one.
    """

    token = models.UUIDField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    redirect_to = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "user"], name="one_submission_per_token")
        ]

    def __str__(self) -> str:
        return f"Submission {self.token} by user {self.user_id}"
