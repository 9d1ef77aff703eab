"""Feedback after a meeting: a one-time invitation per respondent, and the answer it brings.

An invitation belongs to one child's meeting (a looked-after review or a child protection
conference) and one respondent (the child, or a parent or carer). Its link carries a random token
of which only the SHA-256 hash is kept: the link cannot be rebuilt from the database, so the IRO
makes it (and may make it again, which retires the earlier one) when they print, show or send it.
The answer names nobody unless the respondent chose to be named.
"""

from django.conf import settings
from django.db import models


class Respondent(models.TextChoices):
    CHILD = "child", "The child or young person"
    PARENT = "parent", "A parent or carer"


class Channel(models.TextChoices):
    """How the answer came in (FB-05): which way the link reached the person."""

    QR = "qr", "QR code"
    LINK = "link", "Link shown or printed"
    EMAIL = "email", "Email"
    TEXT = "text", "Text message"


class Often(models.TextChoices):
    ALL = "all", "Yes, all of the time"
    SOME = "some", "Some of the time"
    NO = "no", "No"
    UNSURE = "unsure", "I am not sure"


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNSURE = "unsure", "I am not sure"


class TookPart(models.TextChoices):
    CAME = "came", "I came to the meeting"
    TALKED_BEFORE = "talked", "I talked to my IRO before it"
    WROTE = "wrote", "I wrote or drew something"
    SOMEONE = "someone", "Someone spoke for me"
    NOT = "not", "I did not take part"


class FeedbackInvitation(models.Model):
    meeting = models.ForeignKey("iro.Meeting", on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey("iro.Child", on_delete=models.CASCADE, related_name="+")
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="feedback_invitations"
    )
    meeting_kind = models.CharField(max_length=20)
    held_on = models.DateField()
    respondent = models.CharField(max_length=10, choices=Respondent.choices)
    # SHA-256 (hex) of the link's token; empty until the IRO first makes the link.
    token_hash = models.CharField(max_length=64, blank=True, default="")
    issued_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting_id", "child_id", "respondent", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["token_hash"],
                condition=~models.Q(token_hash=""),
                name="feedback_token_hash_unique",
            ),
            models.UniqueConstraint(
                fields=["meeting", "child"],
                condition=models.Q(respondent="child"),
                name="feedback_one_child_invitation_per_meeting",
            ),
        ]
        indexes = [models.Index(fields=["chair", "held_on"])]

    def __str__(self) -> str:
        return f"Feedback invitation {self.pk} ({self.get_respondent_display()})"


class FeedbackResponse(models.Model):
    invitation = models.OneToOneField(
        FeedbackInvitation, on_delete=models.CASCADE, related_name="response"
    )
    submitted_at = models.DateTimeField()
    # The service's local date of the answer: the reporting year counts answers by this day.
    submitted_on = models.DateField()
    channel = models.CharField(max_length=10, choices=Channel.choices)
    easy_read = models.BooleanField(default=False)
    listened = models.CharField(max_length=10, choices=Often.choices, blank=True)
    involved = models.CharField(max_length=10, choices=Often.choices, blank=True)
    plans_discussed = models.CharField(max_length=10, choices=YesNo.choices, blank=True)
    took_part = models.CharField(max_length=10, choices=TookPart.choices, blank=True)
    anything_else = models.TextField(blank=True, max_length=1000)
    named = models.BooleanField(default=False)
    # A manager chose the words in `anything_else` for the annual report's commentary (FB-02).
    for_report = models.BooleanField(default=False)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["submitted_on"])]

    def __str__(self) -> str:
        return f"Feedback {self.pk}"
