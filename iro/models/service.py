from decimal import Decimal

from django.db import models

from iro.validators import between


class ServiceSettings(models.Model):
    """The administrator's settings for the service (a single row, created by migration)."""

    caseload_guidance_min = models.PositiveSmallIntegerField(
        default=50,
        help_text="Lower end of the caseload guidance per FTE (IRO Handbook: 50)",
        validators=between(1, 200, "The lower end of the caseload guidance"),
    )
    caseload_guidance_max = models.PositiveSmallIntegerField(
        default=70,
        help_text="Upper end of the caseload guidance per FTE (IRO Handbook: 70)",
        validators=between(1, 200, "The upper end of the caseload guidance"),
    )
    booking_lead_working_days = models.PositiveSmallIntegerField(
        default=10,
        help_text="Book meetings at least this many working days before they are due",
        validators=between(0, 60, "The booking lead time"),
    )
    allocation_target_hours = models.PositiveSmallIntegerField(
        default=72, validators=between(1, 720, "The allocation target")
    )
    timeliness_target_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("95.00"),
        validators=between(0, 100, "The timeliness target"),
    )
    population_0_17 = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="ONS mid-year population aged 0-17, for rates per 10,000",
        validators=between(1, 2_000_000, "The population aged 0-17"),
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

    def save(self, *args, **kwargs):
        from iro.request_memo import forget

        super().save(*args, **kwargs)
        forget(("ServiceSettings",))

    @classmethod
    def load(cls) -> "ServiceSettings":
        """The one settings row, or its defaults (unsaved) where there is none yet, read once per
        request (iro.request_memo): a page's panels, views and templates all ask for it.

        A data migration writes the row, but a database emptied since (a flush between
        transactional tests) has none. Reading never writes, so that a page served in a read-only
        transaction can read the settings; saving the returned object writes the row (pk 1)."""
        from iro.request_memo import memoised

        return memoised(("ServiceSettings",), lambda: cls.objects.filter(pk=1).first() or cls(pk=1))
