"""Reporting settings and imported values: targets, population for rates, benchmarks."""

from django.db import models


class Target(models.Model):
    """A local target for a figure, overriding the default in its definition."""

    figure_id = models.CharField("figure", max_length=12, unique=True)
    value = models.DecimalField(max_digits=8, decimal_places=2)
    amber_margin = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=5,
        help_text="How far from the target (in the figure's unit) still counts as amber",
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["figure_id"]
        # The reporting app's permissions, given to roles in ReportingConfig.role_permissions.
        permissions = [
            ("view_reports", "Can view live reports (annual report, scorecard, dashboards)"),
            ("view_drilldown", "Can follow a figure to the records behind it"),
            ("view_published", "Can view published dashboards and reports"),
            ("publish_snapshot", "Can publish or withdraw a dashboard or report snapshot"),
            ("manage_returns", "Can export and import statutory returns"),
        ]

    def __str__(self) -> str:
        return f"{self.figure_id}: {self.value}"


class Population(models.Model):
    """Children aged 0-17 resident in the authority (ONS mid-year estimate), for rates per
    10,000. `area` blank is the whole authority; otherwise a locality's population."""

    year = models.PositiveSmallIntegerField(help_text="Mid-year estimate year (e.g. 2024)")
    area = models.ForeignKey("iro.Area", null=True, blank=True, on_delete=models.CASCADE)
    children_0_17 = models.PositiveIntegerField()
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"], condition=models.Q(area__isnull=True), name="population_one_la_row"
            ),
            models.UniqueConstraint(fields=["year", "area"], name="population_one_area_row"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.area or 'authority'}: {self.children_0_17}"


class BenchmarkScope(models.TextChoices):
    ENGLAND = "england", "England"
    REGION = "region", "Region"
    NEIGHBOURS = "neighbours", "Statistical neighbours"


class Benchmark(models.Model):
    """A published comparator for a figure (FIGURES.md kind EXT), loaded from a CSV."""

    figure_id = models.CharField("figure", max_length=12)
    scope = models.CharField(max_length=12, choices=BenchmarkScope.choices)
    year = models.PositiveSmallIntegerField(
        help_text="Reporting year it starts in (2024 = 2024/25)"
    )
    value = models.DecimalField(max_digits=10, decimal_places=2)
    source = models.CharField(max_length=300)

    class Meta:
        ordering = ["figure_id", "scope", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["figure_id", "scope", "year"], name="benchmark_unique")
        ]

    def __str__(self) -> str:
        return f"{self.figure_id} {self.scope} {self.year}: {self.value}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    DONE = "done", "Imported"
    REFUSED = "refused", "Refused: nothing was changed"
    FAILED = "failed", "Failed: nothing was changed"


class ImportRun(models.Model):
    """One SSDA903 import: the uploaded files, its progress, and its counts or refused rows."""

    created_by = models.ForeignKey(
        "iro.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=200)
    upload = models.BinaryField(help_text="The zip as uploaded (one folder of CSVs per year)")
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done")
    rows = models.PositiveIntegerField(default=0, help_text="Rows read from the files")
    years = models.JSONField(default=list, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    refusals = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"SSDA903 import {self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.REFUSED, ImportStatus.FAILED)
