from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from iro.validators import case_date, past_date


class AllocationRole(models.TextChoices):
    CLA = "cla", "CLA reviewing officer"
    CP = "cp", "CP chair"


class Allocation(models.Model):
    """A named IRO for a child in one role. One open allocation per child and role."""

    child = models.ForeignKey("iro.Child", on_delete=models.CASCADE, related_name="allocations")
    iro = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocations"
    )
    role = models.CharField(max_length=3, choices=AllocationRole.choices)
    start = models.DateField(validators=past_date("The allocation start date"))
    end = models.DateField(null=True, blank=True, validators=case_date("The allocation end date"))
    reason = models.CharField("reason for allocation or change", max_length=200, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "role", "-start"]
        # (role, start): allocations made in a reporting period (ALC figures).
        indexes = [
            models.Index(fields=["iro", "role", "end"]),
            models.Index(fields=["role", "start"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "role"],
                condition=models.Q(end__isnull=True),
                name="one_open_allocation_per_child_and_role",
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="allocation_end_on_or_after_start",
            ),
        ]
        permissions = [("manage_allocations", "Can allocate and reallocate IROs")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.iro} for child {self.child_id}"


class AllocationRequest(models.Model):
    """The service learnt that a child needs an IRO in a role; open until someone is allocated.

    The 72-hour target (Birmingham report: a named IRO within 72 hours) runs from `notified_at`.
    """

    child = models.ForeignKey(
        "iro.Child", on_delete=models.CASCADE, related_name="allocation_requests"
    )
    role = models.CharField(max_length=3, choices=AllocationRole.choices)
    notified_at = models.DateTimeField(validators=case_date("The date the service was notified"))
    allocation = models.OneToOneField(
        Allocation, null=True, blank=True, on_delete=models.SET_NULL, related_name="request"
    )
    fulfilled_at = models.DateTimeField(
        null=True, blank=True, validators=case_date("The date an IRO was allocated")
    )

    class Meta:
        ordering = ["notified_at"]
        indexes = [models.Index(fields=["notified_at"])]  # requests in a reporting period
        constraints = [
            models.UniqueConstraint(
                fields=["child", "role"],
                condition=models.Q(fulfilled_at__isnull=True),
                name="one_open_allocation_request_per_child_and_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} needed for child {self.child_id} since {self.notified_at:%Y-%m-%d %H:%M}"
