from decimal import Decimal

from django.db import models


class ServiceSettings(models.Model):
    """The administrator's settings for the service (a single row, created by migration)."""

    caseload_guidance_min = models.PositiveSmallIntegerField(
        default=50, help_text="Lower end of the caseload guidance per FTE (IRO Handbook: 50)"
    )
    caseload_guidance_max = models.PositiveSmallIntegerField(
        default=70, help_text="Upper end of the caseload guidance per FTE (IRO Handbook: 70)"
    )
    booking_lead_working_days = models.PositiveSmallIntegerField(
        default=10, help_text="Book meetings at least this many working days before they are due"
    )
    allocation_target_hours = models.PositiveSmallIntegerField(default=72)
    timeliness_target_percent = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("95.00")
    )
    population_0_17 = models.PositiveIntegerField(
        null=True, blank=True, help_text="ONS mid-year population aged 0-17, for rates per 10,000"
    )

    class Meta:
        verbose_name = "service settings"
        verbose_name_plural = "service settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(caseload_guidance_max__gte=models.F("caseload_guidance_min")),
                name="caseload_guidance_range_ordered",
            )
        ]

    def __str__(self) -> str:
        return "Service settings"

    @classmethod
    def load(cls) -> "ServiceSettings":
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj
