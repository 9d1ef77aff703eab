from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from iro.codes import Ethnicity, Sex
from iro.concurrency import Versioned
from iro.validators import (
    DateWithin,
    case_date,
    validate_la_child_id,
    validate_upn,
)


class Area(models.Model):
    """A locality or area of the authority (configurable list)."""

    name = models.CharField(max_length=100, unique=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SiblingGroup(models.Model):
    name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name or f"Sibling group {self.pk}"


class Child(Versioned):
    la_child_id = models.CharField(
        "LA child ID",
        # The column keeps room for ids held before the format was enforced; new and edited
        # ids are at most LA_CHILD_ID_MAX_LENGTH (validate_la_child_id).
        max_length=20,
        unique=True,
        validators=[validate_la_child_id],
        help_text="Up to 10 letters, digits and hyphens (SSDA903 CHILD)",
    )
    upn = models.CharField(
        "unique pupil number", max_length=13, blank=True, validators=[validate_upn]
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(
        null=True,
        blank=True,
        validators=[DateWithin("The date of birth", earliest="birth", latest="today")],
    )
    expected_date_of_birth = models.DateField(
        null=True,
        blank=True,
        help_text="For an unborn child",
        validators=[DateWithin("The expected date of birth", latest="pregnancy")],
    )
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    disability = models.BooleanField(default=False)
    mother = models.BooleanField(
        "is a mother (SSDA903 MOTHER)", null=True, blank=True, help_text="Blank when not known"
    )
    mother_child_dob = models.DateField(
        "date of birth of the child's first child (SSDA903 MC_DOB)",
        null=True,
        blank=True,
        validators=[DateWithin("The date of birth of the child's first child", latest="today")],
    )
    uasc = models.BooleanField("unaccompanied asylum-seeking child", default=False)
    uasc_ceased = models.DateField(
        "date UASC status ceased",
        null=True,
        blank=True,
        validators=case_date("The date UASC status ceased"),
    )
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    sibling_group = models.ForeignKey(
        SiblingGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    restricted = models.BooleanField(
        default=False, help_text="Visible only to the allocated IRO and managers"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name", "la_child_id"]
        verbose_name_plural = "children"
        indexes = [models.Index(fields=["last_name", "first_name"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_of_birth__isnull=False)
                | models.Q(expected_date_of_birth__isnull=False),
                name="child_has_birth_or_expected_date",
            ),
            models.CheckConstraint(
                condition=models.Q(uasc_ceased__isnull=True) | models.Q(uasc=True),
                name="child_uasc_ceased_only_if_uasc",
            ),
        ]
        permissions = [
            ("view_all_children", "Can see every child who is not restricted"),
            ("view_restricted_children", "Can see restricted children"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.la_child_id})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None
