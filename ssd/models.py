"""What the SSD sync keeps beside the domain records (which it leaves untouched in shape):

- SourceRecord: the link from an SSD row (table, SSD id) to the service's record it became,
  with a hash of the row's mapped values, so the next run matches on the SSD id and skips a row
  that has not changed. A row gone from the extract is flagged (removed_at_source), never deleted.
- SyncRun: one run (dry or real), its progress while it runs, and its counts per table.
- SyncConflict: a fact both the case system and the service hold that disagree, for a person to
  resolve (the rule that decided it is stated on the row).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class SourceRecord(models.Model):
    table = models.CharField(max_length=40)
    ssd_id = models.CharField("SSD id", max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    row_hash = models.CharField(max_length=32)
    removed_at_source = models.BooleanField(default=False)
    removed_on = models.DateField(null=True, blank=True)
    first_run = models.ForeignKey(
        "ssd.SyncRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["table", "ssd_id"], name="ssd_source_once_per_table")
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.table} {self.ssd_id}"


class SyncStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    REFUSED = "refused", "Refused (nothing written)"
    FAILED = "failed", "Failed (nothing written)"


class SyncRun(models.Model):
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=300)
    dry_run = models.BooleanField(default=False)
    nightly = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=SyncStatus.choices, default=SyncStatus.QUEUED)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    stage = models.CharField(max_length=60, blank=True)
    # {table: {"add": n, "change": n, "close": n, "reject": n, "unchanged": n}}
    counts = models.JSONField(default=dict, blank=True)
    # Rejected rows and unmapped codes (bounded: at most REPORT_ROWS each), for the downloads.
    rejected = models.JSONField(default=list, blank=True)
    unmapped = models.JSONField(default=list, blank=True)
    # Missing tables and columns, and the figures they leave without inputs.
    coverage = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{'Dry run' if self.dry_run else 'Sync'} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


class SyncConflict(models.Model):
    run = models.ForeignKey(SyncRun, on_delete=models.CASCADE, related_name="conflicts")
    table = models.CharField(max_length=40)
    ssd_id = models.CharField(max_length=64)
    field = models.CharField(max_length=60)
    service_value = models.CharField(max_length=200, blank=True)
    source_value = models.CharField(max_length=200, blank=True)
    rule = models.CharField(max_length=200)
    resolved = models.BooleanField(default=False)

    class Meta:
        ordering = ["resolved", "-run", "table", "ssd_id"]

    def __str__(self) -> str:
        return f"{self.table} {self.ssd_id} {self.field}"
