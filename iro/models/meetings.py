from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from iro.validators import BoundedTextField, case_date


class MeetingKind(models.TextChoices):
    CLA_REVIEW = "cla_review", "Looked-after review"
    ICPC = "icpc", "Initial child protection conference"
    RCPC = "rcpc", "Review child protection conference"
    TRANSFER_IN = "transfer_in", "Transfer-in conference"


class VenueType(models.TextChoices):
    CHILDS_HOME = "home", "Child's home"
    SCHOOL = "school", "School"
    OFFICE = "office", "Office"
    VIRTUAL = "virtual", "Virtual"
    HYBRID = "hybrid", "Hybrid"


class MeetingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(models.Model):
    """A booked slot in a chair's diary: a CLA review or a CP conference.

    Shared by the reviews and protection apps so that one clash check covers both. The feature
    record (review, conference) points here; a sibling group's conference is one meeting.
    """

    kind = models.CharField(max_length=20, choices=MeetingKind.choices)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chaired_meetings"
    )
    children = models.ManyToManyField("iro.Child", related_name="meetings")
    starts_at = models.DateTimeField(validators=case_date("The meeting start"))
    ends_at = models.DateTimeField(validators=case_date("The meeting end"))
    venue_type = models.CharField(max_length=10, choices=VenueType.choices)
    venue_detail = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.BOOKED
    )
    booked_at = models.DateTimeField(auto_now_add=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["chair", "starts_at"]),
            models.Index(fields=["starts_at", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.starts_at:%d %b %Y %H:%M}"

    @property
    def has_started(self) -> bool:
        """True from the meeting's start time: its outcome can be recorded from then on (the
        outcome form's date, the day of the meeting, is then never in the future)."""
        from django.utils import timezone

        return self.starts_at <= timezone.now()


class MeetingChangeAction(models.TextChoices):
    RESCHEDULED = "rescheduled", "Rescheduled"
    CANCELLED = "cancelled", "Cancelled"


class MeetingChange(models.Model):
    """Why a meeting moved or was cancelled, and who agreed it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=12, choices=MeetingChangeAction.choices)
    previous_starts_at = models.DateTimeField(validators=case_date("The previous meeting start"))
    new_starts_at = models.DateTimeField(
        null=True, blank=True, validators=case_date("The new meeting start")
    )
    reason = BoundedTextField()
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} meeting {self.meeting_id}: {self.reason[:40]}"
