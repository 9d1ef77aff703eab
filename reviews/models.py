"""Looked-after (CLA) reviews and the IRO's work between them."""

import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from iro.codes import ParticipationCode
from iro.concurrency import Versioned
from iro.models import VenueType
from iro.validators import BoundedTextField, case_date


class ReviewSequence(models.TextChoices):
    FIRST = "first", "First review"
    SECOND = "second", "Second review"
    SUBSEQUENT = "subsequent", "Subsequent review"
    ADDITIONAL = "additional", "Additional review"
    # A review imported from an SSDA903 return whose place in the period of care the return
    # cannot give: the period began before the earliest imported year and the reviews held before
    # that year are not on record (docs/rules.md section 1). Its due date is an estimate.
    NOT_KNOWN = "not_known", "Not known (care began before the imported returns)"


class ReviewSource(models.TextChoices):
    """Where a review's record came from. A review imported from an SSDA903 return holds only
    what the return carries (the date held and the PN code): its permanence plan, venue, chair
    and the IRO's work around it are not known, rather than absent."""

    SERVICE = "service", "Recorded in the service"
    SSDA903 = "ssda903", "Imported from an SSDA903 return"


class ReviewStatus(models.TextChoices):
    DUE = "due", "Due, not booked"
    BOOKED = "booked", "Booked"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"
    # Fell due while the child was looked after and was never held (the child left care with
    # the review overdue). Kept on record: it counts as a review out of timescale.
    MISSED = "missed", "Missed (not held)"


OPEN_STATUSES = (ReviewStatus.DUE, ReviewStatus.BOOKED)


class PermanencePlanType(models.TextChoices):
    ADOPTION = "adoption", "Adoption"
    LONG_TERM_FOSTERING = "long_term_fostering", "Long-term fostering"
    LONG_TERM_RESIDENTIAL = "long_term_residential", "Long-term residential"
    RETURN_TO_FAMILY = "return_to_family", "Return to family"
    SGO_CAO = "sgo_cao", "Special guardianship or child arrangements order"
    SUPPORTED_LIVING = "supported_living", "Supported living"


class PermanenceTrack(models.TextChoices):
    SINGLE = "single", "Single track"
    TWIN = "twin", "Twin track"
    TRIPLE = "triple", "Triple track"


class ReviewMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIRTUAL = "virtual", "Virtual (everyone joined by video or phone)"
    HYBRID = "hybrid", "Hybrid (some in the room, some joined remotely)"


class NonAttendanceReason(models.TextChoices):
    CHILD_CHOICE = "child_choice", "The child chose not to attend"
    TOO_YOUNG = "too_young", "Too young to take part"
    EDUCATION = "education", "School, college or exams"
    UNWELL = "unwell", "The child was unwell"
    WELLBEING = "wellbeing", "Attending would have upset the child"
    PRACTICAL = "practical", "Travel, distance or other practical reasons"
    NOT_INVITED = "not_invited", "The child was not invited"
    OTHER = "other", "Another reason"


class SafeguardingIssue(models.TextChoices):
    """Types of current safeguarding issue raised at a review (several may apply)."""

    MISSING = "missing", "Missing from care or home"
    SEXUAL_EXPLOITATION = "sexual_exploitation", "Sexual exploitation or abuse"
    CRIMINAL_EXPLOITATION = "criminal_exploitation", "Crime or criminal exploitation"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"
    NEET = "neet", "Not in education, employment or training"
    GANGS = "gangs", "Gang involvement"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    MENTAL_HEALTH = "mental_health", "Mental health"
    BULLYING = "bullying", "Bullying"
    ONLINE = "online", "Online harm or explicit images"
    OTHER = "other", "Other"


# Venue and mode go together: a virtual review has no room; a hybrid one may have a room.
VENUES_FOR_MODE = {
    ReviewMode.IN_PERSON: ("home", "school", "office"),
    ReviewMode.VIRTUAL: ("virtual",),
    ReviewMode.HYBRID: ("home", "school", "office", "hybrid"),
}


class Review(Versioned):
    """One statutory CLA review of a child: due (computed), booked, held or cancelled.

    The next review exists as soon as a period of care starts or a review is held; its due date
    is stored (from reviews.rules) so lists and reports can filter on it.
    """

    child = models.ForeignKey("iro.Child", on_delete=models.CASCADE, related_name="reviews")
    sequence = models.CharField(max_length=10, choices=ReviewSequence.choices)
    period_start = models.DateField(
        help_text="Start of the period of care the review belongs to",
        validators=case_date("The start of the period of care"),
    )
    due_date = models.DateField(validators=case_date("The due date"))
    source = models.CharField(
        max_length=10,
        choices=ReviewSource.choices,
        default=ReviewSource.SERVICE,
        help_text="Recorded in the service, or imported from an SSDA903 return",
    )
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DUE)
    meeting = models.ForeignKey(
        "iro.Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    booked_on = models.DateField(null=True, blank=True, validators=case_date("The date booked"))
    late_booking = models.BooleanField(
        default=False, help_text="Booked later than the service's booking target"
    )
    late_reason = BoundedTextField(
        blank=True, help_text="Why the meeting is set after the due date, or booked late"
    )
    # Before the meeting
    sw_report_received_on = models.DateField(
        "social worker's report received",
        null=True,
        blank=True,
        validators=case_date("The date the social worker's report was received"),
    )
    child_seen_before = models.BooleanField(
        "IRO saw the child before the review", null=True, blank=True
    )
    parents_invited = models.BooleanField("parents invited", null=True, blank=True)
    # Outcome
    held_on = models.DateField(null=True, blank=True, validators=case_date("The date held"))
    participation = models.CharField(max_length=3, choices=ParticipationCode.choices, blank=True)
    child_attended = models.BooleanField(null=True, blank=True)
    parents_attended = models.BooleanField(null=True, blank=True)
    professionals_attended = BoundedTextField(blank=True)
    actual_venue = models.CharField(max_length=10, choices=VenueType.choices, blank=True)
    mode = models.CharField(
        "how the review was held", max_length=10, choices=ReviewMode.choices, blank=True
    )
    non_attendance_reason = models.CharField(
        "why the child did not attend", max_length=20, choices=NonAttendanceReason.choices,
        blank=True,
    )  # fmt: skip
    safeguarding_issue = models.BooleanField(
        "current safeguarding issue raised", null=True, blank=True
    )
    safeguarding_types = ArrayField(
        models.CharField(max_length=30, choices=SafeguardingIssue.choices),
        default=list,
        blank=True,
        help_text="Types of current safeguarding issue (several may apply)",
    )
    permanence_plan_type = models.CharField(
        max_length=30, choices=PermanencePlanType.choices, blank=True
    )
    permanence_track = models.CharField(max_length=10, choices=PermanenceTrack.choices, blank=True)
    childs_views_considered = models.BooleanField(
        "child's views considered in the plan", null=True, blank=True
    )
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Review record milestones (5, 15 and 20 working days after the review)
    manager_informed_on = models.DateField(
        null=True, blank=True, validators=case_date("The date the manager was informed")
    )
    record_completed_on = models.DateField(
        null=True, blank=True, validators=case_date("The date the record was completed")
    )
    record_distributed_on = models.DateField(
        null=True, blank=True, validators=case_date("The date the record was distributed")
    )
    cancellation_reason = BoundedTextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            # A child's reviews by status, and the review before a given one (REV-09: was the
            # child seen since the last review): a backward scan of one child's held reviews.
            models.Index(fields=["child", "status", "held_on"]),
            models.Index(fields=["held_on"]),
            # Held reviews whose record is still outstanding (an IRO's "records overdue"): a
            # few dozen rows however long the history grows.
            models.Index(
                fields=["meeting", "held_on"],
                condition=Q(status="held")
                & (
                    Q(manager_informed_on__isnull=True)
                    | Q(record_completed_on__isnull=True)
                    | Q(record_distributed_on__isnull=True)
                ),
                name="review_record_outstanding",
            ),
        ]
        permissions = [("view_schedule", "Can see the weekly schedule of every IRO")]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(status__in=["due", "booked"]),
                name="review_one_open_per_child",
            ),
            models.CheckConstraint(
                condition=Q(status="held", held_on__isnull=False)
                | (~Q(status="held") & Q(held_on__isnull=True)),
                name="review_held_iff_held_on",
            ),
            # 903: the review date and participation code are both present or both absent.
            models.CheckConstraint(
                condition=Q(held_on__isnull=True, participation="")
                | (Q(held_on__isnull=False) & ~Q(participation="")),
                name="review_participation_with_held_on",
            ),
            models.CheckConstraint(
                condition=~Q(status="booked") | Q(meeting__isnull=False),
                name="review_booked_has_meeting",
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=F("period_start")), name="review_due_after_period_start"
            ),
            models.CheckConstraint(
                condition=Q(held_on__isnull=True) | Q(held_on__gte=F("period_start")),
                name="review_held_in_period",
            ),
            models.CheckConstraint(
                condition=Q(manager_informed_on__isnull=True)
                | Q(manager_informed_on__gte=F("held_on")),
                name="review_manager_informed_after_held",
            ),
            models.CheckConstraint(
                condition=Q(record_completed_on__isnull=True)
                | Q(record_completed_on__gte=F("held_on")),
                name="review_record_completed_after_held",
            ),
            models.CheckConstraint(
                condition=Q(record_distributed_on__isnull=True)
                | Q(record_distributed_on__gte=F("held_on")),
                name="review_record_distributed_after_held",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancellation_reason=""),
                name="review_cancelled_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(permanence_track="") | ~Q(permanence_plan_type=""),
                name="review_track_needs_plan_type",
            ),
            models.CheckConstraint(
                condition=Q(non_attendance_reason="") | Q(child_attended=False),
                name="review_non_attendance_reason_only_when_absent",
            ),
            models.CheckConstraint(
                condition=Q(safeguarding_types=[]) | Q(safeguarding_issue=True),
                name="review_safeguarding_types_only_with_issue",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_sequence_display()} of child {self.child_id}, due {self.due_date:%d %b %Y}"
        )

    @property
    def is_late(self) -> bool:
        """Booked (or held) after its due date; reads the meeting, so select_related it."""
        from iro.rules import meeting_is_late

        return self.meeting_id is not None and meeting_is_late(self.meeting, self.due_date)

    @property
    def in_timescale(self) -> bool | None:
        from reviews.rules import in_timescale

        return None if self.held_on is None else in_timescale(self.held_on, self.due_date)


class Recommendation(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    text = BoundedTextField()
    owner = models.CharField(max_length=120, help_text="Who is responsible (name or role)")
    target_date = models.DateField(validators=case_date("The target date"))
    completed_on = models.DateField(
        null=True, blank=True, validators=case_date("The date completed")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["target_date", "id"]

    def __str__(self) -> str:
        return f"{self.text[:40]} ({self.owner}, {self.target_date})"

    @property
    def done(self) -> bool:
        return self.completed_on is not None


class ContactKind(models.TextChoices):
    VISIT = "visit", "Visit in person"
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone call"
    OTHER = "other", "Other contact (letter, message)"


class IroContact(models.Model):
    """An IRO visit to, or contact with, a child between reviews."""

    child = models.ForeignKey("iro.Child", on_delete=models.CASCADE, related_name="iro_contacts")
    iro = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    contact_on = models.DateField(validators=case_date("The date of the contact"))
    kind = models.CharField(max_length=10, choices=ContactKind.choices)
    seen_alone = models.BooleanField(null=True, blank=True)
    notes = BoundedTextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-contact_on", "-id"]
        indexes = [
            models.Index(fields=["child", "contact_on"]),
            models.Index(fields=["contact_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(seen_alone__isnull=True) | Q(kind__in=["visit", "video"]),
                name="contact_seen_alone_only_when_seen",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with child {self.child_id} on {self.contact_on}"


class MidwayReview(models.Model):
    """The IRO's check halfway between two reviews that the plan is progressing."""

    child = models.ForeignKey("iro.Child", on_delete=models.CASCADE, related_name="midway_reviews")
    iro = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(validators=case_date("The date held"))
    plan_on_track = models.BooleanField()
    recommendations_progressing = models.BooleanField()
    notes = BoundedTextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["held_on"])]  # midway reviews in a reporting period
        constraints = [
            models.CheckConstraint(
                condition=(Q(plan_on_track=True) & Q(recommendations_progressing=True))
                | ~Q(notes=""),
                name="midway_concern_has_notes",
            )
        ]

    def __str__(self) -> str:
        return f"Midway review of child {self.child_id} on {self.held_on}"


class MonitoringCheck(models.Model):
    """The IRO monitoring tool: the quality of the child's plan, with any issues found."""

    child = models.ForeignKey(
        "iro.Child", on_delete=models.CASCADE, related_name="monitoring_checks"
    )
    iro = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    review = models.ForeignKey(
        Review, null=True, blank=True, on_delete=models.SET_NULL, related_name="monitoring_checks"
    )
    checked_on = models.DateField(validators=case_date("The date checked"))
    plan_up_to_date = models.BooleanField("care plan up to date")
    plan_smart = models.BooleanField("plan is SMART")
    assessment_current = models.BooleanField("assessment is current")
    voice_of_child = models.BooleanField("voice of the child evident")
    issues_found = BoundedTextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-checked_on", "-id"]
        indexes = [models.Index(fields=["checked_on"])]  # checks in a reporting period
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(plan_up_to_date=True)
                    & Q(plan_smart=True)
                    & Q(assessment_current=True)
                    & Q(voice_of_child=True)
                )
                | ~Q(issues_found=""),
                name="monitoring_check_failure_has_issues",
            )
        ]

    def __str__(self) -> str:
        return f"Monitoring check of child {self.child_id} on {self.checked_on}"

    @property
    def all_met(self) -> bool:
        return all(
            (self.plan_up_to_date, self.plan_smart, self.assessment_current, self.voice_of_child)
        )


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A private iCalendar link to an IRO's booked meetings; revoking it kills the URL."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="one_live_feed_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user} ({'revoked' if self.revoked_at else 'live'})"
