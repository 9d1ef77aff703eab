"""One sync run, from wherever it is started (the import_ssd command, the nightly beat task, the
runs page): a SyncRun row says it is running, progress goes to the cache while the run's own
transaction is open (so the runs page can show it), and the counts, rejected rows, unmapped codes,
conflicts and coverage are stored when it ends. Every run is written to the audit log.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from ssd.coverage import coverage_of
from ssd.importer import REPORT_ROWS, apply_extract
from ssd.models import SyncConflict, SyncRun, SyncStatus
from ssd.reader import ExtractRefused, read_extract

SYNC_ACCOUNT = "case-system-sync"


def progress_key(run_id: int) -> str:
    return f"ssd:run:{run_id}:progress"


def progress_of(run: SyncRun) -> dict:
    """The progress of a running run (from the cache), or its stored state."""
    if run.status == SyncStatus.RUNNING:
        found = cache.get(progress_key(run.pk))
        if found:
            return found
    return {"done": run.done, "total": run.total, "stage": run.stage}


def _audit(run: SyncRun) -> None:
    from iro.audit import log_audit_event
    from iro.models import AuditEvent, User

    subject = run.started_by
    if subject is None:
        subject, created = User.objects.get_or_create(
            username=SYNC_ACCOUNT,
            defaults={"first_name": "Case system", "last_name": "sync", "is_active": False},
        )
        if created:
            subject.set_unusable_password()
            subject.save(update_fields=["password"])
    counts = {
        k: sum(v.get(k, 0) for v in run.counts.values())
        for k in ("add", "change", "close", "reject")
    }
    detail = (
        f"{'dry run' if run.dry_run else 'sync'} {run.get_status_display().lower()} from "
        f"{run.source}: add {counts['add']}, change {counts['change']}, close {counts['close']}, "
        f"reject {counts['reject']}"
    )
    log_audit_event(
        subject=subject,
        action=AuditEvent.Action.CASE_SYSTEM_SYNC,
        detail=detail,
        actor=run.started_by,
    )


def run_sync(
    source: str,
    *,
    schema: str | None = None,
    dry_run: bool = False,
    user=None,
    nightly: bool = False,
    roles: dict[str, str] | None = None,
    run: SyncRun | None = None,
) -> SyncRun:
    """Read and apply one extract, recording the run. Returns the finished SyncRun."""
    if run is None:
        run = SyncRun.objects.create(
            source=f"schema {schema}" if schema else str(source),
            dry_run=dry_run,
            nightly=nightly,
            started_by=user,
        )
    run.status = SyncStatus.RUNNING
    run.stage = "reading"
    run.save(update_fields=["status", "stage"])
    roles = dict(settings.SSD_INVOLVEMENT_ROLES if roles is None else roles)

    def progress(done: int, total: int, stage: str) -> None:
        cache.set(progress_key(run.pk), {"done": done, "total": total, "stage": stage}, 3600)

    try:
        extract = read_extract(source, schema=schema)
    except ExtractRefused as exc:
        run.status = SyncStatus.REFUSED
        run.message = str(exc)
        run.rejected = [exc.refusal.as_dict()]
        return _finish(run)
    progress(0, 1, "applying")
    outcome = apply_extract(extract, dry_run=dry_run, roles=roles, progress=progress, run=None)
    run.counts = outcome.counts
    run.rejected = [r.as_dict() for r in outcome.rejected[:REPORT_ROWS]]
    run.unmapped = outcome.unmapped[:REPORT_ROWS]
    run.coverage = coverage_of(extract)
    notes = list(outcome.notes)
    if outcome.rejected and not dry_run:
        notes.insert(0, f"{len(outcome.rejected):,} rows refused: nothing was written")
    run.message = "\n".join(notes)
    run.status = SyncStatus.DONE if outcome.ok else SyncStatus.REFUSED
    if outcome.written:
        SyncConflict.objects.bulk_create(SyncConflict(run=run, **c) for c in outcome.conflicts)
    run.done, run.total, run.stage = 1, 1, "done"
    return _finish(run)


def _finish(run: SyncRun) -> SyncRun:
    run.finished_at = timezone.now()
    run.save()
    cache.delete(progress_key(run.pk))
    _audit(run)
    return run
