"""The case system sync pages: runs (with progress while one runs), starting a dry run or a sync
from the configured location, the rejected rows and unmapped codes as CSV, and the conflicts list.
Administrators see the runs and their counts; the rows and conflicts carry case system ids, so
they are the performance officer's."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from iro.exports import csv_response
from ssd.models import SyncConflict, SyncRun, SyncStatus
from ssd.sync import progress_of

view_required = permission_required("ssd.view_syncrun", raise_exception=True)
run_required = permission_required("ssd.add_syncrun", raise_exception=True)
conflicts_required = permission_required("ssd.change_syncconflict", raise_exception=True)


def _totals(run: SyncRun) -> dict:
    keys = ("add", "change", "close", "reject", "unchanged")
    return {k: sum(c.get(k, 0) for c in run.counts.values()) for k in keys}


@require_safe
@view_required
def runs(request):
    page = Paginator(SyncRun.objects.select_related("started_by"), 25).get_page(
        request.GET.get("page")
    )
    rows = [{"run": r, "totals": _totals(r), "progress": progress_of(r)} for r in page]
    return render(
        request,
        "ssd/runs.html",
        {
            "rows": rows,
            "page": page,
            "configured": bool(settings.SSD_SYNC_SOURCE or settings.SSD_SYNC_SCHEMA),
            "can_run": request.user.has_perm("ssd.add_syncrun"),
            "open_conflicts": SyncConflict.objects.filter(resolved=False).count(),
        },
    )


@require_POST
@run_required
def start(request):
    """Queue a dry run or a sync from the configured location."""
    if not (settings.SSD_SYNC_SOURCE or settings.SSD_SYNC_SCHEMA):
        messages.error(request, "No extract location is set (SSD_SYNC_SOURCE or SSD_SYNC_SCHEMA).")
        return redirect("ssd:runs")
    dry = request.POST.get("kind") != "sync"
    run = SyncRun.objects.create(
        source=settings.SSD_SYNC_SOURCE or f"schema {settings.SSD_SYNC_SCHEMA}",
        dry_run=dry,
        started_by=request.user,
    )
    from iro.tasks import enqueue
    from ssd.tasks import run_sync_task

    enqueue(run_sync_task, run.pk)  # on commit; a broker that is down leaves the run queued
    return redirect("ssd:run", pk=run.pk)


@require_safe
@view_required
def run_detail(request, pk: int):
    run = get_object_or_404(SyncRun, pk=pk)
    return render(
        request,
        "ssd/run.html",
        {
            "run": run,
            "totals": _totals(run),
            "progress": progress_of(run),
            "finished": run.status not in (SyncStatus.QUEUED, SyncStatus.RUNNING),
            "can_read_rows": request.user.has_perm("ssd.add_syncrun"),
            "tables": sorted(run.counts.items()),
        },
    )


@require_safe
@view_required
def run_status(request, pk: int):
    run = get_object_or_404(SyncRun, pk=pk)
    return JsonResponse(
        {"id": run.pk, "status": run.status, **progress_of(run), "totals": _totals(run)}
    )


def _csv(name: str, columns: list[str], rows: list[dict]) -> HttpResponse:
    return csv_response(name, [columns, *([row.get(c, "") for c in columns] for row in rows)])


@require_safe
@run_required
def rejected_csv(request, pk: int):
    run = get_object_or_404(SyncRun, pk=pk)
    return _csv(
        f"sync-{run.pk}-rejected.csv", ["file", "line", "id", "column", "reason"], run.rejected
    )


@require_safe
@run_required
def unmapped_csv(request, pk: int):
    run = get_object_or_404(SyncRun, pk=pk)
    columns = ["table", "column", "code", "rows", "first_file", "first_line"]
    return _csv(f"sync-{run.pk}-unmapped-codes.csv", columns, run.unmapped)


@require_safe
@conflicts_required
def conflicts(request):
    page = Paginator(SyncConflict.objects.select_related("run"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "ssd/conflicts.html", {"page": page})


@require_POST
@conflicts_required
def resolve(request, pk: int):
    conflict = get_object_or_404(SyncConflict, pk=pk)
    conflict.resolved = True
    conflict.save(update_fields=["resolved"])
    messages.success(request, "Marked as resolved.")
    return redirect("ssd:conflicts")
