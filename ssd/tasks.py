from celery import shared_task
from django.conf import settings


@shared_task(name="ssd.nightly_sync")
def nightly_sync() -> int | None:
    """The nightly sync from SSD_SYNC_SOURCE (a folder or zip) or SSD_SYNC_SCHEMA; nothing when
    neither is set. Returns the run's id."""
    from ssd.sync import run_sync

    if not settings.SSD_SYNC_SOURCE and not settings.SSD_SYNC_SCHEMA:
        return None
    run = run_sync(settings.SSD_SYNC_SOURCE, schema=settings.SSD_SYNC_SCHEMA or None, nightly=True)
    return run.pk


@shared_task(name="ssd.run_sync")
def run_sync_task(run_id: int) -> None:
    """A run started from the runs page (dry or real) from the configured location."""
    from ssd.models import SyncRun
    from ssd.sync import run_sync

    run = SyncRun.objects.get(pk=run_id)
    run_sync(
        settings.SSD_SYNC_SOURCE,
        schema=settings.SSD_SYNC_SCHEMA or None,
        dry_run=run.dry_run,
        user=run.started_by,
        run=run,
    )
