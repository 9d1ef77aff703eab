"""Published snapshots of the board: list, detail, downloads, comparison, and publishing,
correcting and withdrawing one.
"""

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST, require_safe

from iro.exports import xlsx_response
from reporting.exports.tables import write_xlsx
from reporting.exports.word import write_docx
from reporting.figures import SECTIONS
from reporting.models import Snapshot
from reporting.presentation import fmt
from reporting.selectors import snapshots_for, snapshots_newest_first
from reporting.services import snapshot_correct, snapshot_withdraw
from reporting.suppression import LEGEND, report_for_board
from reporting.web.common import DOCX, download, require_perm
from reporting.web.publishing import PUBLISHED_SUPPRESSED, board_sections

# PUBLISHED_SUPPRESSED and board_sections live in reporting/web/publishing.py, shared with the
# publish preview.


def _snapshot_meta(snapshot: Snapshot) -> dict:
    lines = [
        f"Figures as at {snapshot.as_at:%-d %B %Y}; version {snapshot.version}",
        f"Published by {snapshot.published_by.get_full_name()} on "
        f"{timezone.localtime(snapshot.published_at):%-d %B %Y at %H:%M}",
        f"Period: {snapshot.data['period']['title']} (compared with "
        f"{snapshot.data['previous_period']['title']})",
    ]
    if snapshot.changes:
        lines.append(f"Correction: {snapshot.changes}")
    if snapshot.withdrawn:
        lines.append(f"Withdrawn: {snapshot.withdrawn_reason}")
    lines.append(LEGEND)
    return {"title": f"{snapshot.title} (version {snapshot.version})", "lines": lines}


# A published snapshot never changes (a correction is a new version, and SnapshotQuerySet refuses
# edits), so its presented sections, charts included, are worked out once per process and kept:
# the board's home page and dashboard read the same snapshot on every visit.
_SECTIONS: OrderedDict[tuple, Any] = OrderedDict()
_SECTIONS_KEPT = 16
_sections_lock = Lock()


def _kept(snapshot: Snapshot, what: object, build: Callable[[], Any]) -> Any:
    """`build()` for this snapshot and `what`, worked out once per process (the last
    _SECTIONS_KEPT kept). Callers must not change what they are given: it is shared."""
    key = (snapshot.series, snapshot.version, snapshot.published_at, what)
    with _sections_lock:
        if key in _SECTIONS:
            _SECTIONS.move_to_end(key)
            return _SECTIONS[key]
    value = build()
    with _sections_lock:
        _SECTIONS[key] = value
        while len(_SECTIONS) > _SECTIONS_KEPT:
            _SECTIONS.popitem(last=False)
    return value


def _snapshot_sections(snapshot: Snapshot, *, svg: bool = True) -> list[dict]:
    """The snapshot's sections as the pages and exports present them (shared: do not change)."""

    def build() -> list[dict]:
        return board_sections(snapshot.data, snapshot.commentary, svg=svg)

    return _kept(snapshot, svg, build)


def snapshot_sections_html(snapshot: Snapshot) -> str:
    """The snapshot's sections as HTML, rendered once per process: the board reads the same
    snapshot on every visit, and rendering its tables and charts costs more than the rest of
    the page together. The HTML holds no drill-down links and nothing about the reader."""
    return _kept(
        snapshot,
        "html",
        lambda: mark_safe(  # noqa: S308 - rendered by the template engine, which escaped it
            render_to_string("reporting/_sections.html", {"sections": _snapshot_sections(snapshot)})
        ),
    )


def render_snapshot(request, snapshot: Snapshot, status: int = 200, errors: dict | None = None):
    user = request.user
    return render(
        request,
        "reporting/snapshot.html",
        {
            "snapshot": snapshot,
            "sections_html": snapshot_sections_html(snapshot),
            "legend": LEGEND,
            "can_publish": user.has_perm("reporting.publish_snapshot"),
            "others": snapshots_newest_first(user).exclude(pk=snapshot.pk)[:20],
            "corrections": snapshots_for(user)
            .filter(series=snapshot.series)
            .exclude(pk=snapshot.pk)
            .order_by("version"),
            "errors": errors or {},
        },
        status=status,
    )


def _visible_snapshot(request, pk: int) -> Snapshot:
    user = request.user
    if not (user.has_perm("reporting.view_published") or user.has_perm("reporting.view_reports")):
        raise PermissionDenied
    return get_object_or_404(snapshots_for(user), pk=pk)


@require_safe
def snapshot_list(request):
    user = request.user
    if not (user.has_perm("reporting.view_published") or user.has_perm("reporting.view_reports")):
        raise PermissionDenied
    snapshots = snapshots_newest_first(user)
    return render(
        request,
        "reporting/snapshots.html",
        {"snapshots": snapshots, "can_publish": user.has_perm("reporting.publish_snapshot")},
    )


@require_safe
def snapshot_detail(request, pk: int):
    return render_snapshot(request, _visible_snapshot(request, pk))


def _snapshot_filename(snapshot: Snapshot) -> str:
    return f"{snapshot.kind}-{snapshot.as_at.isoformat()}-v{snapshot.version}"


@require_safe
def snapshot_xlsx(request, pk: int):
    snapshot = _visible_snapshot(request, pk)
    sections = _snapshot_sections(snapshot, svg=False)
    content = write_xlsx(_snapshot_meta(snapshot), sections)
    return xlsx_response(_snapshot_filename(snapshot) + ".xlsx", content)


@require_safe
def snapshot_docx(request, pk: int):
    snapshot = _visible_snapshot(request, pk)
    sections = _snapshot_sections(snapshot, svg=False)
    content = write_docx(_snapshot_meta(snapshot), sections)
    return download(content, _snapshot_filename(snapshot) + ".docx", DOCX)


@require_safe
def snapshot_compare(request):
    user = request.user
    if not (user.has_perm("reporting.view_published") or user.has_perm("reporting.view_reports")):
        raise PermissionDenied
    visible = snapshots_newest_first(user)
    chosen = {}
    errors = {}
    for key in ("a", "b"):
        raw = request.GET.get(key, "")
        if raw:
            try:
                chosen[key] = visible.get(pk=int(raw))
            except (ValueError, Snapshot.DoesNotExist):
                errors[key] = "Choose a published snapshot."
    rows = []
    if len(chosen) == 2 and not errors:
        a, b = chosen["a"], chosen["b"]
        values = {}
        for tag, snap in (("a", a), ("b", b)):
            shown = report_for_board(snap.data, suppress=PUBLISHED_SUPPRESSED)
            for section in shown["sections"]:
                for entry in section["figures"]:
                    item = values.setdefault(
                        entry["id"], {"title": entry["title"], "kind": entry["kind"]}
                    )
                    item[tag] = entry["result"].get("value")
        for fid, item in values.items():
            va, vb = item.get("a"), item.get("b")
            change = None
            if all(isinstance(v, int | float) and not isinstance(v, bool) for v in (va, vb)):
                change = (
                    round(vb - va, 1) if isinstance(vb, float) or isinstance(va, float) else vb - va
                )
            pct = item["kind"] == "PCT"
            rows.append(
                {
                    "id": fid,
                    "title": item["title"],
                    "a": fmt(va, percent=pct),
                    "b": fmt(vb, percent=pct),
                    "change": "" if change is None else (("+" if change > 0 else "") + fmt(change)),
                }
            )
    status = 400 if errors else 200
    return render(
        request,
        "reporting/compare.html",
        {"snapshots": visible, "chosen": chosen, "rows": rows, "errors": errors},
        status=status,
    )


def _commentary_from(post) -> dict:
    return {key: post.get(f"commentary_{key}", "") for key in SECTIONS}


def snapshot_correct_view(request, pk: int):
    require_perm(request, "reporting.publish_snapshot")
    snapshot = get_object_or_404(Snapshot, pk=pk)
    values: dict[str, Any] = {
        "changes": "",
        "commentary": dict(snapshot.commentary),
        "suppress": PUBLISHED_SUPPRESSED,
    }
    errors = {}
    if request.method == "POST":
        values = {
            "changes": request.POST.get("changes", ""),
            "commentary": _commentary_from(request.POST),
            "suppress": PUBLISHED_SUPPRESSED,
        }
        try:
            correction = snapshot_correct(
                snapshot=snapshot,
                by=request.user,
                changes=values["changes"],
                commentary=values["commentary"],
                suppress_small_numbers=values["suppress"],
            )
        except ValidationError as exc:
            errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
        else:
            messages.success(request, f"Published version {correction.version}.")
            return HttpResponseRedirect(reverse("reporting:snapshot", args=[correction.pk]))
    return render(
        request,
        "reporting/correct.html",
        {"snapshot": snapshot, "values": values, "errors": errors, "sections": SECTIONS.items()},
        status=400 if errors else 200,
    )


@require_POST
def snapshot_withdraw_view(request, pk: int):
    require_perm(request, "reporting.publish_snapshot")
    snapshot = get_object_or_404(Snapshot, pk=pk)
    try:
        snapshot_withdraw(snapshot=snapshot, by=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
        return render_snapshot(request, snapshot, status=400, errors=errors)
    messages.success(request, "Withdrawn: the board no longer sees this snapshot.")
    return HttpResponseRedirect(reverse("reporting:snapshot", args=[snapshot.pk]))
