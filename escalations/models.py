"""IRO concerns (informal challenge) and the Issue Resolution Process (formal escalation).

An IRP (`Escalation`) concerns one or more children (a sibling group can share one), climbs a
configurable ladder of stages (`StageDefinition`), each with a named responder and a response
deadline in working days, and records every transition as an `EscalationEvent`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from iro.concurrency import Versioned
from iro.models import ResponderLevel
from iro.validators import BoundedTextField, between, case_date


class PlanContext(models.TextChoices):
    """The child's plan when the concern or IRP was raised (iro.selectors.ChildStatus)."""

    LOOKED_AFTER = "looked_after", "Looked after"
    CP_PLAN = "cp_plan", "Child protection plan"
    DUAL = "dual", "Dual (looked after and child protection plan)"
    NEITHER = "neither", "Neither looked after nor on a plan"


class Category(models.TextChoices):
    DRIFT_AND_DELAY = "drift_and_delay", "Drift and delay"
    CARE_PLAN = "care_plan", "Care plan not meeting needs"
    PRACTICE = "practice", "Practice concern"
    LEGAL_STATUS = "legal_status", "Legal status"
    PROCEDURES = "procedures", "Procedures not followed"
    PLACEMENT = "placement", "Placement or accommodation"
    RECORDING = "recording", "Recording quality"
    OTHER = "other", "Other"


class PracticeConcern(models.TextChoices):
    """Sub-category, required when the category is a practice concern."""

    NONE = "", "Not a practice concern"
    ASSESSMENT_QUALITY = "assessment_quality", "Quality of assessment"
    VISITS = "visits", "Visits to the child"
    HEALTH_ASSESSMENT_DELAY = "health_assessment_delay", "Health assessment delay"
    PEP_DELAY = "pep_delay", "Personal education plan (PEP) delay"


PRACTICE_SUBCATEGORY_RULE = (Q(category=Category.PRACTICE) & ~Q(practice_subcategory="")) | (
    ~Q(category=Category.PRACTICE) & Q(practice_subcategory="")
)


class ConcernStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    ESCALATED = "escalated", "Escalated to an IRP"


class Concern(Versioned):
    """An IRO concern: informal challenge recorded against one child."""

    child = models.ForeignKey("iro.Child", on_delete=models.CASCADE, related_name="iro_concerns")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="concerns_raised"
    )
    raised_on = models.DateField("date raised", validators=case_date("The date raised"))
    category = models.CharField(max_length=30, choices=Category.choices)
    practice_subcategory = models.CharField(
        "practice concern", max_length=30, choices=PracticeConcern.choices, blank=True, default=""
    )
    description = BoundedTextField()
    raised_with = models.CharField(
        "raised with",
        max_length=200,
        help_text="For example, the social worker and their team manager",
    )
    status = models.CharField(max_length=12, choices=ConcernStatus.choices, default="open")
    resolved_on = models.DateField(
        "date resolved", null=True, blank=True, validators=case_date("The date resolved")
    )
    outcome = BoundedTextField(blank=True)
    plan_context = models.CharField(max_length=20, choices=PlanContext.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-raised_on", "-pk"]
        indexes = [models.Index(fields=["raised_on", "category"])]
        constraints = [
            models.CheckConstraint(
                condition=PRACTICE_SUBCATEGORY_RULE,
                name="concern_practice_subcategory_iff_practice",
            ),
            models.CheckConstraint(
                condition=Q(status=ConcernStatus.RESOLVED, resolved_on__isnull=False)
                | (~Q(status=ConcernStatus.RESOLVED) & Q(resolved_on__isnull=True)),
                name="concern_resolved_date_iff_resolved",
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("raised_on")),
                name="concern_resolved_on_or_after_raised",
            ),
        ]

    def __str__(self) -> str:
        return f"Concern {self.pk}: {self.get_category_display()}"


DEFAULT_LADDER = [
    (1, "Social work team manager", ResponderLevel.SW_TEAM_MANAGER),
    (2, "Head of service", ResponderLevel.HEAD_OF_SERVICE),
    (3, "Assistant director", ResponderLevel.ASSISTANT_DIRECTOR),
    (4, "Director", ResponderLevel.DIRECTOR),
]


class StageDefinition(models.Model):
    """One rung of the IRP ladder: who responds and how many working days they have."""

    order = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=100)
    responder_level = models.CharField(max_length=30, choices=ResponderLevel.choices)
    response_working_days = models.PositiveSmallIntegerField(
        default=5, validators=between(1, 60, "The working days to respond")
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(condition=Q(order__gte=1), name="stage_order_positive"),
            models.CheckConstraint(
                condition=~Q(responder_level=""), name="stage_has_responder_level"
            ),
            models.CheckConstraint(
                condition=Q(response_working_days__gte=1), name="stage_deadline_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Stage {self.order}: {self.name}"

    @classmethod
    def ensure_default_ladder(cls) -> None:
        """Create the default ladder when none is configured (a flushed database has none)."""
        if not cls.objects.exists():
            cls.objects.bulk_create(
                cls(order=order, name=name, responder_level=level, response_working_days=5)
                for order, name, level in DEFAULT_LADDER
            )


class EscalationSettings(models.Model):
    """Settings of the Issue Resolution Process (a single row, created by migration)."""

    process_working_days = models.PositiveSmallIntegerField(
        default=20,
        help_text="The whole process should finish within this many working days",
        validators=between(1, 120, "The working days for the whole process"),
    )
    auto_escalate_after_working_days = models.PositiveSmallIntegerField(
        "escalate automatically after",
        null=True,
        blank=True,
        help_text="Working days a stage response may be overdue before the IRP moves to the next "
        "stage automatically. Leave empty to keep escalation to the IRO (the default).",
        validators=between(1, 60, "The working days before escalating automatically"),
    )

    class Meta:
        verbose_name = "escalation settings"
        verbose_name_plural = "escalation settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(process_working_days__gte=1), name="process_working_days_positive"
            )
        ]

    def __str__(self) -> str:
        return "Escalation settings"

    @classmethod
    def load(cls) -> "EscalationSettings":
        """The one settings row, or its defaults (unsaved) where there is none yet.

        A data migration writes the row, but a database emptied since (a flush between
        transactional tests) has none. Reading never writes, so that a page served in a read-only
        transaction can read the settings; saving the returned object writes the row (pk 1)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class EscalationState(models.TextChoices):
    """States of an IRP; the allowed transitions are data in escalations.rules."""

    NEW = "new", "Not yet raised"
    AWAITING_RESPONSE = "awaiting_response", "Awaiting response"
    RESPONDED = "responded", "Response received"
    RESOLUTION_PROPOSED = "resolution_proposed", "Responder says resolved"
    REFERRED_TO_CAFCASS = "referred_to_cafcass", "Referred to Cafcass"
    RESOLVED = "resolved", "Resolved"
    WITHDRAWN = "withdrawn", "Withdrawn"


class EscalationAction(models.TextChoices):
    RAISE = "raise", "Raised"
    RESPOND = "respond", "Responder replied"
    PROPOSE_RESOLUTION = "propose_resolution", "Responder replied that it is resolved"
    ESCALATE = "escalate", "Escalated"
    RESOLVE = "resolve", "IRO accepted the resolution"
    REFER_CAFCASS = "refer_cafcass", "Referred to Cafcass"
    WITHDRAW = "withdraw", "Withdrawn"


class OutcomeQuality(models.TextChoices):
    """How well the resolution served the child (one seed report names superficial compliance)."""

    NONE = "", "Not recorded"
    RESOLVED_FOR_CHILD = "resolved_for_child", "Issue resolved for the child"
    PARTLY_RESOLVED = "partly_resolved", "Partly resolved"
    SUPERFICIAL_COMPLIANCE = "superficial_compliance", "Only superficial compliance"


OPEN_STATES = [
    EscalationState.AWAITING_RESPONSE,
    EscalationState.RESPONDED,
    EscalationState.RESOLUTION_PROPOSED,
    EscalationState.REFERRED_TO_CAFCASS,
]


class Escalation(Versioned):
    """An IRP: one formal challenge for one or more children (a sibling group shares one)."""

    children = models.ManyToManyField(
        "iro.Child", through="EscalationChild", related_name="escalations"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="escalations_raised"
    )
    source_concern = models.OneToOneField(
        Concern, null=True, blank=True, on_delete=models.SET_NULL, related_name="escalation"
    )
    category = models.CharField(max_length=30, choices=Category.choices)
    practice_subcategory = models.CharField(
        "practice concern", max_length=30, choices=PracticeConcern.choices, blank=True, default=""
    )
    summary = BoundedTextField()
    outcome_sought = BoundedTextField("outcome the IRO seeks")
    status = models.CharField(
        max_length=24, choices=EscalationState.choices, default=EscalationState.NEW
    )
    current_stage = models.ForeignKey(
        StageDefinition, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    raised_on = models.DateField("date raised", validators=case_date("The date raised"))
    process_deadline = models.DateField(
        "whole-process deadline", validators=case_date("The whole-process deadline")
    )
    resolved_on = models.DateField(
        "date resolved", null=True, blank=True, validators=case_date("The date resolved")
    )
    closed_on = models.DateField(
        "date closed", null=True, blank=True, validators=case_date("The date closed")
    )
    outcome_quality = models.CharField(
        max_length=30, choices=OutcomeQuality.choices, blank=True, default=""
    )
    resolution_note = BoundedTextField(blank=True)
    cafcass_referred = models.BooleanField("referred to Cafcass", default=False)
    cafcass_referred_on = models.DateField(
        "date referred to Cafcass",
        null=True,
        blank=True,
        validators=case_date("The date referred to Cafcass"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-raised_on", "-pk"]
        indexes = [models.Index(fields=["status", "raised_on"]), models.Index(fields=["raised_on"])]
        constraints = [
            models.CheckConstraint(
                condition=PRACTICE_SUBCATEGORY_RULE,
                name="escalation_practice_subcategory_iff_practice",
            ),
            models.CheckConstraint(
                condition=Q(status=EscalationState.RESOLVED, resolved_on__isnull=False)
                & ~Q(outcome_quality="")
                | (~Q(status=EscalationState.RESOLVED) & Q(resolved_on__isnull=True)),
                name="escalation_resolved_iff_date_and_quality",
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("raised_on")),
                name="escalation_resolved_on_or_after_raised",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("raised_on")),
                name="escalation_closed_on_or_after_raised",
            ),
            models.CheckConstraint(
                condition=Q(cafcass_referred=True, cafcass_referred_on__isnull=False)
                | Q(cafcass_referred=False, cafcass_referred_on__isnull=True),
                name="escalation_cafcass_date_iff_referred",
            ),
            models.CheckConstraint(
                condition=Q(status=EscalationState.NEW) | Q(current_stage__isnull=False),
                name="escalation_raised_has_stage",
            ),
            models.CheckConstraint(
                condition=Q(process_deadline__gte=F("raised_on")),
                name="escalation_deadline_after_raised",
            ),
        ]
        permissions = [
            ("view_all_escalations", "Can see every escalation"),
            ("respond_escalation", "Can respond to escalations addressed to them"),
        ]

    def __str__(self) -> str:
        return f"IRP {self.pk}: {self.get_category_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES


class EscalationChild(models.Model):
    """A child in an IRP, with the child's plan context when it was raised (kept as it was)."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="child_links")
    child = models.ForeignKey(
        "iro.Child", on_delete=models.CASCADE, related_name="escalation_links"
    )
    plan_context = models.CharField(max_length=20, choices=PlanContext.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["escalation", "child"], name="one_link_per_child")
        ]

    def __str__(self) -> str:
        return f"Child {self.child_id} in IRP {self.escalation_id}"


class EscalationStage(models.Model):
    """One stage an IRP reached: its named responder, deadline and response."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="stages")
    definition = models.ForeignKey(StageDefinition, on_delete=models.PROTECT, related_name="+")
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="escalation_stages"
    )
    started_on = models.DateField(validators=case_date("The stage start date"))
    response_deadline = models.DateField(validators=case_date("The response deadline"))
    response = BoundedTextField(blank=True)
    responded_on = models.DateField(
        null=True, blank=True, validators=case_date("The date of the response")
    )
    proposes_resolution = models.BooleanField(default=False)
    closed_on = models.DateField(null=True, blank=True, validators=case_date("The date closed"))

    class Meta:
        ordering = ["escalation", "started_on", "pk"]
        indexes = [models.Index(fields=["responder", "closed_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["escalation"],
                condition=Q(closed_on__isnull=True),
                name="one_open_stage_per_escalation",
            ),
            models.UniqueConstraint(
                fields=["escalation", "definition"], name="each_stage_reached_once"
            ),
            models.CheckConstraint(
                condition=Q(response_deadline__gt=F("started_on")),
                name="stage_deadline_after_start",
            ),
            models.CheckConstraint(
                condition=Q(responded_on__isnull=True, response="")
                | (Q(responded_on__gte=F("started_on")) & ~Q(response="")),
                name="stage_response_with_date",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("started_on")),
                name="stage_closed_on_or_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.definition} of IRP {self.escalation_id}"


class EscalationEvent(models.Model):
    """One transition in an IRP's history: who, when, from which state to which, and why."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=24, choices=EscalationAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    on = models.DateField("effective date", validators=case_date("The effective date"))
    from_state = models.CharField(max_length=24, choices=EscalationState.choices)
    to_state = models.CharField(max_length=24, choices=EscalationState.choices)
    stage = models.ForeignKey(
        StageDefinition, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = BoundedTextField(blank=True)

    class Meta:
        ordering = ["escalation", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(to_state=EscalationState.NEW), name="event_never_returns_to_new"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} on IRP {self.escalation_id}"
