"""Writes for the statutory returns: starting and running an SSDA903 import, and recording each
download of a return."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from iro.models import AccessLog, Child
from reporting.models import ImportRun, ImportStatus, ReturnDownload, ReturnKind
from reporting.returns.cin_census import blocks_for_year
from reporting.returns.importer import UploadRefused, import_years, precheck_upload, read_upload
from reporting.returns.signals import import_run_waiting
from reporting.returns.ssda903 import CollectionYear, children_in_year


def return_children(*, kind: str, year: int):
    """The children a statutory return holds: every one, restricted children included (the
    returns must be complete). SSDA903: children with an episode open in the collection year;
    CIN: children with a section 47 enquiry or a child protection plan in it."""
    if kind == ReturnKind.SSDA903:
        return children_in_year(CollectionYear(year))
    if kind == ReturnKind.CIN:
        return Child.objects.filter(pk__in=list(blocks_for_year(CollectionYear(year))))
    raise ValidationError({"kind": f"Unknown return {kind!r}."})


@transaction.atomic
def return_download_record(*, user, kind: str, year: int, path: str = "") -> ReturnDownload:
    """Record one download of a return before its file is made: who, when, which return and how
    many children it holds, restricted ones among them; each restricted child's access log gets
    a line too, so that "who has seen this child" includes the returns that named them."""
    if not user.has_perm("reporting.download_statutory_returns"):
        raise ValidationError("Downloading statutory returns needs its own permission.")
    children = return_children(kind=kind, year=year)
    restricted_ids = list(children.filter(restricted=True).values_list("pk", flat=True))
    download = ReturnDownload(
        user=user,
        kind=kind,
        year=year,
        children=children.count(),
        restricted=len(restricted_ids),
    )
    download.full_clean()
    download.save()
    action = f"{kind} return download"
    AccessLog.objects.bulk_create(
        AccessLog(user=user, child_id=pk, path=path[:300], action=action) for pk in restricted_ids
    )
    return download


@transaction.atomic
def import_run_start(*, user, file_name: str, data: bytes) -> ImportRun:
    """Record an uploaded zip or CSV file and queue its import (the Celery task starts after
    commit). What can be checked without reading the files is checked here, so the form says
    it at once: the size, that a zip opens, how many files it holds and what they declare they
    expand to (importer.precheck_upload)."""
    try:
        precheck_upload(data, file_name)
    except UploadRefused as exc:
        raise ValidationError({"file": _sentence(str(exc))}) from None
    run = ImportRun(created_by=user, file_name=file_name[:200], upload=data)
    run.full_clean(exclude=["upload"])
    run.save()
    _send(run.pk)
    return run


def _sentence(reason: str) -> str:
    return reason[:1].upper() + reason[1:] + ("" if reason.endswith(".") else ".")


def _send(run_id: int) -> None:
    """Queue the import task after commit, never an error for the caller: if the broker is
    down, the run waits and requeue_waiting_imports sends it again once the broker is back."""
    import_run_waiting.send(sender=ImportRun, run_id=run_id)


# A run still waiting this long after it was uploaded, or after it was last sent, is sent again.
REQUEUE_AFTER = timedelta(minutes=5)


def requeue_waiting_imports(*, now=None) -> list[int]:
    """Send again the imports still waiting to start REQUEUE_AFTER after upload (the broker was
    down when they were uploaded, or the worker lost them). A run is claimed by one worker only
    (import_run_execute), so a second message for it does nothing."""
    cutoff = (now or timezone.now()) - REQUEUE_AFTER
    ids = list(
        ImportRun.objects.filter(status=ImportStatus.QUEUED, created_at__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for run_id in ids:
        _send(run_id)
    return ids


def import_run_execute(*, run_id: int) -> ImportRun:
    """Run a queued import: progress is saved as it goes (outside the import's transaction, so
    the page can read it), then the counts or the refusals."""
    # Claimed in one statement: of two workers handed the same run (a message sent again by
    # requeue_waiting_imports), only one moves it from queued to running.
    claimed = ImportRun.objects.filter(pk=run_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now(), progress=0
    )
    run = ImportRun.objects.get(pk=run_id)
    if not claimed:
        return run

    def progress(done: int, total: int) -> None:
        _save_progress(run.pk, min(99, 100 * done // max(total, 1)))

    try:
        try:
            years = read_upload(bytes(run.upload), run.file_name)
        except UploadRefused as exc:
            ImportRun.objects.filter(pk=run.pk).update(
                status=ImportStatus.REFUSED,
                progress=100,
                refusals=[exc.refusal.as_dict()],
                finished_at=timezone.now(),
            )
            run.refresh_from_db()
            return run
        rows = sum(len(rows) for y in years for rows in y.tables.values())
        rows += len({(r.file, r.line) for y in years for r in y.refusals if r.line > 1})
        result = import_years(years, progress=progress)
    except Exception as exc:  # noqa: BLE001 (recorded for the user, then re-raised)
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportStatus.DONE if result.ok else ImportStatus.REFUSED,
        progress=100,
        rows=rows,
        years=result.years,
        # What changed, and (under "unchanged") what the files held that was already stored.
        counts={**result.counts, **({"unchanged": result.unchanged} if result.unchanged else {})},
        refusals=[r.as_dict() for r in result.refusals],
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    return run


def _save_progress(run_id: int, percent: int) -> None:
    """Write progress through the "progress" connection, which commits at once although the
    import's own transaction is still open. Tests mirror that alias onto the default one."""
    from django.db import connections

    try:
        ImportRun.objects.using("progress").filter(pk=run_id).update(progress=percent)
    except Exception:  # noqa: BLE001 (tests that do not allow the alias: use the default)
        ImportRun.objects.filter(pk=run_id).update(progress=percent)
    finally:
        connections["progress"].close()
