"""Reporting settings and imported values: targets, population for rates, benchmarks."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from iro.validators import BoundedTextField, validate_reporting_year
from reporting.reference import LARGEST_POPULATION, check_value, validate_figure_id

# A section's commentary: a few paragraphs, as in the printed reports.
COMMENTARY_MAX_LENGTH = 5_000


class Target(models.Model):
    """A local target for a figure, overriding the default in its definition."""

    figure_id = models.CharField(
        "figure", max_length=12, unique=True, validators=[validate_figure_id]
    )
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

    def clean(self):
        problem = check_value(self.figure_id, self.value, "The target")
        if problem:
            raise ValidationError({"value": problem})
        if self.amber_margin is not None and self.amber_margin < 0:
            raise ValidationError({"amber_margin": "The amber margin must be 0 or more"})


class Population(models.Model):
    """Children aged 0-17 resident in the authority (ONS mid-year estimate), for rates per
    10,000. `area` blank is the whole authority; otherwise a locality's population."""

    year = models.PositiveSmallIntegerField(
        help_text="Mid-year estimate year (e.g. 2024)", validators=[validate_reporting_year]
    )
    area = models.ForeignKey("iro.Area", null=True, blank=True, on_delete=models.CASCADE)
    children_0_17 = models.PositiveIntegerField(
        validators=[
            MaxValueValidator(
                LARGEST_POPULATION,
                f"The number of children aged 0-17 must be {LARGEST_POPULATION:,} or fewer",
            )
        ]
    )
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
    """A published comparator for a figure (kind EXT, docs/figures.md), loaded from a CSV."""

    figure_id = models.CharField("figure", max_length=12, validators=[validate_figure_id])
    scope = models.CharField(max_length=12, choices=BenchmarkScope.choices)
    year = models.PositiveSmallIntegerField(
        help_text="Reporting year it starts in (2024 = 2024/25)",
        validators=[validate_reporting_year],
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

    def clean(self):
        problem = check_value(self.figure_id, self.value)
        if problem:
            raise ValidationError({"value": problem})


class SnapshotKind(models.TextChoices):
    DASHBOARD = "dashboard", "Board dashboard"
    ANNUAL = "annual", "Annual report"


class SnapshotQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if set(kwargs) - Snapshot.MUTABLE_FIELDS:
            raise ValueError("A published snapshot is never edited: publish a correction instead.")
        return super().update(**kwargs)

    def published(self):
        return self.filter(withdrawn=False)


class Snapshot(models.Model):
    """A dashboard or annual report frozen when it was published: the JSON of every figure's
    Result (aggregates only), the manager's commentary per section, who published it and when.

    Never edited in place (the model, its queryset and a database trigger refuse it): a correction
    is a new version in the same series that says what changed; a withdrawn snapshot is kept in
    history and hidden from the board.
    """

    MUTABLE_FIELDS = frozenset({"withdrawn", "withdrawn_at", "withdrawn_by", "withdrawn_reason"})

    kind = models.CharField(max_length=12, choices=SnapshotKind.choices)
    series = models.UUIDField(help_text="Shared by a snapshot and its corrections")
    version = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=200)
    as_at = models.DateField("figures as at")
    period_start = models.DateField()
    period_end = models.DateField()
    suppress_small_numbers = models.BooleanField(default=True)
    data = models.JSONField(help_text="The report: every figure's Result, current and previous")
    commentary = models.JSONField(default=dict, blank=True, help_text="Section key -> narrative")
    changes = BoundedTextField(blank=True, help_text="For a correction: what changed and why")
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    published_by = models.ForeignKey("iro.User", on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField()
    withdrawn = models.BooleanField(default=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        "iro.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_reason = models.CharField(max_length=300, blank=True)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="snapshot_one_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            fields = kwargs.get("update_fields")
            if fields is None or set(fields) - self.MUTABLE_FIELDS:
                raise ValueError(
                    "A published snapshot is never edited: publish a correction instead."
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A published snapshot is kept: withdraw it instead.")


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


class ReturnKind(models.TextChoices):
    SSDA903 = "ssda903", "SSDA903 children looked after return"
    CIN = "cin", "CIN census child protection module"


class ReturnDownload(models.Model):
    """One download of a statutory return: who, when, which return and year, how many children it
    held and how many of them are restricted. The returns must be complete, so they hold
    restricted children; making one needs reporting.download_statutory_returns and writes this
    record (reporting.returns.services.return_download_record); never edited."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey("iro.User", on_delete=models.PROTECT, related_name="return_downloads")
    kind = models.CharField("return", max_length=10, choices=ReturnKind.choices)
    year = models.PositiveSmallIntegerField(
        help_text="Collection year by its start: 2024 is 1 April 2024 to 31 March 2025"
    )
    children = models.PositiveIntegerField(help_text="Children in the return")
    restricted = models.PositiveIntegerField(help_text="Restricted children in the return")

    class Meta:
        ordering = ["-at", "-pk"]
        permissions = [
            (
                "download_statutory_returns",
                "Can download the SSDA903 and CIN returns, restricted children included "
                "(every download recorded)",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} {self.year}-{self.year + 1} by {self.user} at "
            f"{self.at:%Y-%m-%d %H:%M}: {self.children} children, {self.restricted} restricted"
        )


class ReportDownloadStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Building the document"
    DONE = "done", "Ready to download"
    FAILED = "failed", "Failed"


class ReportDownload(models.Model):
    """One Word document of the annual report, built in the background (a Celery task,
    reporting.report_downloads): who asked for it, its progress, and the document once built.
    The document names only the children its requester may see, so only they may open it."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey("iro.User", on_delete=models.CASCADE, related_name="report_downloads")
    year = models.PositiveSmallIntegerField(
        help_text="Reporting year by its start: 2024 is 1 April 2024 to 31 March 2025"
    )
    status = models.CharField(
        max_length=10, choices=ReportDownloadStatus.choices, default=ReportDownloadStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done")
    file_name = models.CharField(max_length=200, blank=True)
    content = models.BinaryField(blank=True, default=b"", help_text="The .docx once built")
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Annual report {self.year} Word document for {self.user} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (ReportDownloadStatus.DONE, ReportDownloadStatus.FAILED)


class ReportCommentary(models.Model):
    """The head of service's narrative for one section of the annual report, kept per reporting
    year (`year` is the year it starts in: 2025 is 1 April 2025 to 31 March 2026). Every change
    is kept in its history (simple-history): who wrote what, and when."""

    year = models.PositiveSmallIntegerField(validators=[validate_reporting_year])
    section_key = models.CharField("section", max_length=40)
    text = BoundedTextField("commentary", blank=True, max_length=COMMENTARY_MAX_LENGTH)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "section_key"], name="one_commentary_a_section")
        ]
        ordering = ["year", "section_key"]
        verbose_name_plural = "report commentaries"

    def __str__(self) -> str:
        return f"{self.year}: {self.section_key}"
