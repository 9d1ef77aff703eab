"""Child protection records: strategy discussions, conferences, plans and core groups.

A sibling group conferenced together is ONE iro.Meeting (one slot in the chair's diary) with one
Conference per child on it, so each child has their own due date, outcome, category and plan.
Rescheduling or cancelling the meeting moves every child's conference on it.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from iro.codes import CategoryOfAbuse
from iro.concurrency import Versioned
from iro.validators import BoundedTextField, case_date


class StrategyDiscussion(models.Model):
    """A strategy discussion about a child. The one at which s47 enquiries started triggers the ICPC."""

    child = models.ForeignKey(
        "iro.Child", on_delete=models.CASCADE, related_name="strategy_discussions"
    )
    held_on = models.DateField(
        "date of the strategy discussion", validators=case_date("The date held")
    )
    s47_started = models.BooleanField("section 47 enquiries started", default=False)
    s47_started_on = models.DateField(
        "section 47 start date",
        null=True,
        blank=True,
        validators=case_date("The section 47 start date"),
    )
    notes = BoundedTextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["held_on"])]  # discussions in a reporting period
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(s47_started=True) & models.Q(s47_started_on__isnull=False))
                | (models.Q(s47_started=False) & models.Q(s47_started_on__isnull=True)),
                name="s47_start_date_if_and_only_if_started",
            ),
            models.CheckConstraint(
                condition=models.Q(s47_started_on__isnull=True)
                | models.Q(s47_started_on__gte=models.F("held_on")),
                name="s47_starts_on_or_after_discussion",
            ),
        ]

    def __str__(self) -> str:
        return f"Strategy discussion for child {self.child_id} on {self.held_on}"


class ConferenceKind(models.TextChoices):
    ICPC = "icpc", "Initial child protection conference"
    RCPC = "rcpc", "Review child protection conference"
    TRANSFER_IN = "transfer_in", "Transfer-in conference"

    @property
    def short(self) -> str:
        return {"icpc": "ICPC", "rcpc": "RCPC", "transfer_in": "Transfer-in"}[self.value]


class ConferenceStatus(models.TextChoices):
    DUE = "due", "Due, not booked"
    BOOKED = "booked", "Booked"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


OPEN_CONFERENCE_STATUSES = (ConferenceStatus.DUE, ConferenceStatus.BOOKED)


class ConferenceOutcome(models.TextChoices):
    """At an ICPC or transfer-in: start a plan or not. At a review: continue the plan or end it."""

    CP_PLAN = "cp_plan", "Child protection plan"
    CIN_PLAN = "cin_plan", "Child in need plan"
    NFA = "nfa", "No further action"


class ChildViews(models.TextChoices):
    """How the child's views reached the conference."""

    SPOKE = "spoke", "The child attended and gave their views"
    ADVOCATE = "advocate", "Through an advocate"
    WRITTEN = "written", "Written, drawn or recorded by the child"
    PROFESSIONAL = "professional", "Shared by the social worker or another professional"
    NOT_SHARED = "not_shared", "The child's views were not shared"
    TOO_YOUNG = "too_young", "Too young to give views (or unborn)"


CHILD_VIEWS_SHARED = ("spoke", "advocate", "written", "professional")


class DelayReason(models.TextChoices):
    """Why a conference was held after its due date (the seeds' reasons, as a coded list)."""

    LATE_INFORMATION = "late_information", "Key information was late"
    PROFESSIONAL_UNAVAILABLE = "professional_unavailable", "A key professional was unavailable"
    CHAIR_UNAVAILABLE = "chair_unavailable", "No chair or minute-taker available"
    FAMILY_UNAVAILABLE = "family_unavailable", "A parent or family member was unavailable"
    INTERPRETER = "interpreter", "No interpreter available"
    LATE_REQUEST = "late_request", "The conference was requested late"
    OTHER = "other", "Another reason"


class Conference(Versioned):
    """One child's initial, review or transfer-in conference: due from the rules, then booked and held."""

    kind = models.CharField(max_length=12, choices=ConferenceKind.choices)
    child = models.ForeignKey("iro.Child", on_delete=models.CASCADE, related_name="conferences")
    meeting = models.ForeignKey(
        "iro.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conferences",
    )
    strategy_discussion = models.ForeignKey(
        StrategyDiscussion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conferences",
        help_text="For an ICPC: the discussion at which s47 enquiries started",
    )
    plan = models.ForeignKey(
        "protection.ProtectionPlan",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reviews",
        help_text="For a review conference: the plan under review",
    )
    notified_on = models.DateField(
        "date the authority was notified",
        null=True,
        blank=True,
        help_text="Transfer-in only",
        validators=case_date("The date the authority was notified"),
    )
    due = models.DateField("due date", validators=case_date("The due date"))
    due_dfe = models.DateField(
        "due date (DfE basis)",
        null=True,
        blank=True,
        validators=case_date("The due date (DfE basis)"),
    )
    status = models.CharField(
        max_length=10, choices=ConferenceStatus.choices, default=ConferenceStatus.DUE
    )
    reason_after_due = BoundedTextField("reason for holding after the due date", blank=True)
    held_on = models.DateField(null=True, blank=True, validators=case_date("The date held"))
    outcome = models.CharField(max_length=10, choices=ConferenceOutcome.choices, blank=True)
    category = models.CharField(
        "category of abuse", max_length=3, choices=CategoryOfAbuse.choices, blank=True
    )
    parents_invited = models.BooleanField(null=True, blank=True)
    parents_attended = models.BooleanField(null=True, blank=True)
    child_attended = models.BooleanField(null=True, blank=True)
    child_views = models.CharField(
        "how the child's views were given", max_length=15, choices=ChildViews.choices, blank=True
    )
    delay_reason = models.CharField(
        "why it was held after the due date", max_length=30, choices=DelayReason.choices,
        blank=True,
    )  # fmt: skip
    professionals_attended = models.PositiveSmallIntegerField(null=True, blank=True)
    reports_shared_in_advance = models.BooleanField(null=True, blank=True)
    decisions = BoundedTextField(blank=True)
    cancel_reason = BoundedTextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due", "id"]
        indexes = [
            models.Index(fields=["status", "due"]),
            models.Index(fields=["child", "kind"]),
            models.Index(fields=["plan", "status"]),
            models.Index(fields=["held_on"]),  # conferences held in a reporting period
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(status="held") & models.Q(held_on__isnull=False))
                | (~models.Q(status="held") & models.Q(held_on__isnull=True)),
                name="conference_held_date_if_and_only_if_held",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="") | models.Q(status="held"),
                name="conference_outcome_only_when_held",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["booked", "held"])
                | models.Q(meeting__isnull=False),
                name="conference_booked_or_held_has_meeting",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="rcpc") | models.Q(plan__isnull=False),
                name="review_conference_has_plan",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="transfer_in") | models.Q(notified_on__isnull=False),
                name="transfer_in_has_notification_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome="cp_plan", kind__in=["icpc", "transfer_in"])
                | ~models.Q(category=""),
                name="plan_outcome_has_category",
            ),
            models.CheckConstraint(
                condition=~models.Q(parents_attended=True, parents_invited=False),
                name="conference_parents_attended_were_invited",
            ),
            # One conference of each kind waiting to happen per child.
            models.UniqueConstraint(
                fields=["child", "kind"],
                condition=models.Q(status__in=["due", "booked"]),
                name="one_open_conference_per_child_and_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{ConferenceKind(self.kind).short} for child {self.child_id} due {self.due}"

    @property
    def short_kind(self) -> str:
        return ConferenceKind(self.kind).short

    @property
    def is_late(self) -> bool:
        """Booked (or held) after its due date; reads the meeting, so select_related it."""
        from iro.rules import meeting_is_late

        return self.meeting_id is not None and meeting_is_late(self.meeting, self.due)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CONFERENCE_STATUSES


class PlanEndReason(models.TextChoices):
    NO_LONGER_AT_RISK = "no_longer_at_risk", "No longer at risk of significant harm"
    LOOKED_AFTER = "looked_after", "Became looked after"
    MOVED = "moved", "Moved to another local authority"


class ProtectionPlan(Versioned):
    """A child protection plan: starts on the date of the conference that decided it."""

    child = models.ForeignKey("iro.Child", on_delete=models.CASCADE, related_name="cp_plans")
    start = models.DateField("plan start date", validators=case_date("The plan start date"))
    initial_category = models.CharField(max_length=3, choices=CategoryOfAbuse.choices)
    latest_category = models.CharField(max_length=3, choices=CategoryOfAbuse.choices)
    previous_plans = models.PositiveSmallIntegerField(
        "number of previous plans",
        default=0,
        help_text="Counted from history when the plan started",
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chaired_cp_plans"
    )
    starting_conference = models.OneToOneField(
        Conference,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="started_plan",
    )
    first_core_group_due = models.DateField(validators=case_date("The first core group due date"))
    end = models.DateField(
        "plan end date", null=True, blank=True, validators=case_date("The plan end date")
    )
    end_reason = models.CharField(max_length=20, choices=PlanEndReason.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start", "id"]
        indexes = [models.Index(fields=["start", "end"]), models.Index(fields=["chair", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="cp_plan_end_on_or_after_start",
            ),
            models.CheckConstraint(
                condition=(models.Q(end__isnull=True) & models.Q(end_reason=""))
                | (models.Q(end__isnull=False) & ~models.Q(end_reason="")),
                name="cp_plan_end_and_reason_together",
            ),
            models.CheckConstraint(
                condition=models.Q(first_core_group_due__gte=models.F("start")),
                name="cp_plan_core_group_due_after_start",
            ),
            # CIN census rule 8935: at most one open plan. Overlaps are refused in services.
            models.UniqueConstraint(
                fields=["child"], condition=models.Q(end__isnull=True), name="one_open_cp_plan"
            ),
        ]
        permissions = [("view_cp_panel_lists", "Can see the CP panel and drift lists")]

    def __str__(self) -> str:
        return f"CP plan for child {self.child_id} from {self.start}"

    @property
    def is_open(self) -> bool:
        return self.end is None


class CoreGroupMeeting(models.Model):
    """A core group meeting held under a plan."""

    plan = models.ForeignKey(ProtectionPlan, on_delete=models.CASCADE, related_name="core_groups")
    held_on = models.DateField(validators=case_date("The date held"))
    notes = BoundedTextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "held_on"]
        indexes = [models.Index(fields=["held_on"])]  # core groups in a reporting period
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "held_on"], name="one_core_group_per_plan_and_day"
            )
        ]

    def __str__(self) -> str:
        return f"Core group for plan {self.plan_id} on {self.held_on}"
