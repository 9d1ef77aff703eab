from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from iro.validators import case_date


class Contract(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    AGENCY = "agency", "Agency"


class StaffRecord(models.Model):
    """One spell of a member of staff's employment on the same terms (FTE and contract).

    A person's history is their records in `valid_from` order: a change of FTE or contract ends
    one record (`valid_to`, the last day on the old terms) and starts the next on the day after.
    Start in post = the earliest `valid_from`; left = the latest `valid_to` when no record is open.
    In post on day D: valid_from <= D and (valid_to is null or valid_to >= D).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_records"
    )
    valid_from = models.DateField(validators=case_date("The date these terms start"))
    valid_to = models.DateField(
        null=True,
        blank=True,
        help_text="Last day on these terms; blank while they hold",
        validators=case_date("The last day on these terms"),
    )
    fte = models.DecimalField(
        "full-time equivalent",
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(0.01), MaxValueValidator(1)],
    )
    contract = models.CharField(max_length=10, choices=Contract.choices)
    left_reason = models.CharField(
        max_length=120, blank=True, help_text="Why the person left (on their last record)"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["user", "valid_from"]
        indexes = [models.Index(fields=["valid_from", "valid_to"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fte__gt=0) & models.Q(fte__lte=1), name="staff_fte_in_range"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="staff_record_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(valid_to__isnull=True),
                name="one_open_staff_record",
            ),
            models.UniqueConstraint(fields=["user", "valid_from"], name="staff_record_start_once"),
        ]

    def __str__(self) -> str:
        to = self.valid_to.isoformat() if self.valid_to else "now"
        return f"{self.user}: {self.fte} FTE {self.contract} {self.valid_from} to {to}"
