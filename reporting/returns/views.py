"""Statutory returns pages for performance officers (reporting.manage_returns).

The SSDA903 and CIN returns hold every child, restricted children included: downloading one needs
reporting.download_statutory_returns, its page says so before the file is made, and each
download is recorded (reporting.ReturnDownload, and the access log of each restricted child).
Every view declares its methods: the read-only pages answer 405 to anything but GET and HEAD."""

from __future__ import annotations

import csv
from datetime import date

from django import forms
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from iro.access import children_visible_to
from iro.exports import xlsx_response
from iro.form_fields import form_status
from iro.form_submit import sent, submit
from iro.navigation import child_url
from iro.postcodes import unknown_postcodes
from reporting.models import ImportRun, ReturnDownload, ReturnKind
from reporting.returns import annex_a, checks
from reporting.returns.cin_census import census_xml
from reporting.returns.importer import Limits
from reporting.returns.ssda903 import NOT_PRODUCED, CollectionYear, episodes_in_year, export_zip

PERMISSION = "reporting.manage_returns"
returns_required = permission_required(PERMISSION, raise_exception=True)
DOWNLOAD_PERMISSION = "reporting.download_statutory_returns"
download_required = permission_required(DOWNLOAD_PERMISSION, raise_exception=True)


def _default_year() -> int:
    today = timezone.localdate()
    # The last complete collection year (1 April to 31 March).
    return (today.year if today.month >= 4 else today.year - 1) - 1


def _year(value) -> CollectionYear:
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = _default_year()
    return CollectionYear(min(max(year, 2000), 2100))


class UploadForm(forms.Form):
    file = forms.FileField(
        label="SSDA903 returns (zip or CSV)",
        help_text=(
            "A zip of one folder of CSV files per year (Header, Episodes, Reviews, UASC), "
            "or one CSV file."
        ),
    )


@require_safe
@returns_required
def home(request):
    year = _year(request.GET.get("year"))
    unknown = unknown_postcodes(episodes_in_year(year))
    return render(
        request,
        "reporting/returns/home.html",
        {
            "year": year,
            "years": range(_default_year() + 1, _default_year() - 6, -1),
            "not_produced": sorted(NOT_PRODUCED.items()),
            "unknown_postcodes": unknown,
            "runs": ImportRun.objects.defer("upload").select_related("created_by")[:10],
            "downloads": ReturnDownload.objects.select_related("user")[:10],
            "may_download": request.user.has_perm(DOWNLOAD_PERMISSION),
            "today": timezone.localdate(),
            "form": UploadForm(),
        },
    )


def _child_url(user, child_id: int, visible: set[int]) -> str:
    return child_url(child_id) if child_id in visible else ""


@require_safe
@returns_required
def check(request, year: int):
    collection = _year(year)
    issues = checks.year_issues(collection)
    validator = None
    if request.GET.get("validator") == "1":
        from reporting.returns.validate import ValidatorError, validate_903

        try:
            validator = validate_903(collection)
        except ValidatorError as exc:
            validator = {"failed": str(exc)[:500], "errors": []}
    child_ids = {i.child_id for i in issues}
    la_ids = {e["child"] for e in (validator or {}).get("errors", [])}
    visible_qs = children_visible_to(request.user).filter(la_child_id__in=la_ids) | (
        children_visible_to(request.user).filter(pk__in=child_ids)
    )
    visible = dict(visible_qs.values_list("la_child_id", "pk"))
    visible_pks = set(visible.values())
    by_child: dict[str, dict] = {}
    for issue in issues:
        entry = by_child.setdefault(
            issue.la_child_id,
            {"la_child_id": issue.la_child_id, "url": "", "issues": []},
        )
        entry["url"] = _child_url(request.user, issue.child_id, visible_pks)
        entry["issues"].append(f"{issue.file} {issue.field}: {issue.message}")
    for error in (validator or {}).get("errors", []):
        entry = by_child.setdefault(
            error["child"], {"la_child_id": error["child"], "url": "", "issues": []}
        )
        if error["child"] in visible:
            entry["url"] = _child_url(request.user, visible[error["child"]], visible_pks)
        entry["issues"].append(f"DfE rule {error['code']} ({error['table']}): {error['message']}")
    return render(
        request,
        "reporting/returns/check.html",
        {
            "year": collection,
            "children": sorted(by_child.values(), key=lambda c: c["la_child_id"]),
            "validator": validator,
        },
    )


RETURN_FILES: dict[str, tuple[str, str]] = {
    ReturnKind.SSDA903: ("returns-903-zip", "SSDA903 return (zip)"),
    ReturnKind.CIN: ("returns-cin-xml", "CIN census module (XML)"),
}


def _download_page(request, kind: str, year: CollectionYear):
    """Before the file is made: what it holds, restricted children included, and that the
    download is recorded."""
    from reporting.returns.services import return_children

    children = return_children(kind=kind, year=year.year)
    url_name, file_label = RETURN_FILES[kind]
    return render(
        request,
        "reporting/returns/download.html",
        {
            "year": year,
            "kind_label": ReturnKind(kind).label,
            "file_label": file_label,
            "action": reverse(f"reporting:{url_name}", args=[year.year]),
            "children": children.count(),
            "restricted": children.filter(restricted=True).count(),
        },
    )


def _record(request, kind: str, year: CollectionYear) -> None:
    from reporting.returns.services import return_download_record

    return_download_record(user=request.user, kind=kind, year=year.year, path=request.path)


@require_safe
@download_required
def download_903(request, year: int):
    return _download_page(request, ReturnKind.SSDA903, _year(year))


@require_POST
@download_required
def export_903_zip(request, year: int):
    """The SSDA903 return, made only from the download page's button (recorded first)."""
    collection = _year(year)
    _record(request, ReturnKind.SSDA903, collection)
    response = HttpResponse(export_zip(collection.year), content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="ssda903-{collection.year}-{collection.year + 1}.zip"'
    )
    response["Cache-Control"] = "no-store"
    return response


@require_safe
@download_required
def download_cin(request, year: int):
    return _download_page(request, ReturnKind.CIN, _year(year))


@require_POST
@download_required
def export_cin_xml(request, year: int):
    """The CIN census module, made only from the download page's button (recorded first)."""
    collection = _year(year)
    _record(request, ReturnKind.CIN, collection)
    response = HttpResponse(census_xml(collection), content_type="application/xml")
    response["Content-Disposition"] = (
        f'attachment; filename="cin-census-cp-{collection.year}-{collection.year + 1}.xml"'
    )
    response["Cache-Control"] = "no-store"
    return response


@require_safe
@returns_required
def annex_a_xlsx(request):
    try:
        on = date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        on = timezone.localdate()
    return xlsx_response(f"annex-a-{on.isoformat()}.xlsx", annex_a.workbook(request.user, on))


@returns_required
@require_http_methods(["GET", "POST"])
def upload(request):
    from reporting.returns.services import import_run_start

    form = UploadForm(sent(request), request.FILES if request.method == "POST" else None)

    def save() -> str:
        upload_file = form.cleaned_data["file"]
        run = import_run_start(
            user=request.user, file_name=upload_file.name, data=upload_file.read()
        )
        return reverse("reporting:returns-import-run", args=[run.pk])

    if done := submit(request, form, save):
        return done
    return render(
        request,
        "reporting/returns/upload.html",
        {"form": form, "limits": Limits.from_settings().describe()},
        status=form_status(form),
    )


def _run_status(run: ImportRun) -> dict:
    return {
        "id": run.pk,
        "status": run.status,
        "status_label": run.get_status_display(),
        "progress": run.progress,
        "finished": run.finished,
        "refusals": len(run.refusals),
    }


def _summary(run: ImportRun) -> dict:
    """Added, changed, unchanged and rejected, from the run's counts and refused rows."""
    counts = {k: v for k, v in run.counts.items() if isinstance(v, int)}
    unchanged = run.counts.get("unchanged") or {}
    return {
        "added": sum(v for k, v in counts.items() if k.endswith("created")),
        "changed": sum(v for k, v in counts.items() if not k.endswith("created")),
        "unchanged": sum(unchanged.values()),
        "rejected": len({(r["file"], r["line"]) for r in run.refusals}),
        "counts": sorted(counts.items()),
        "unchanged_counts": sorted(unchanged.items()),
    }


@require_safe
@returns_required
def import_run(request, pk: int):
    run = get_object_or_404(ImportRun.objects.defer("upload"), pk=pk)
    return render(
        request,
        "reporting/returns/import_run.html",
        {"run": run, "status": _run_status(run), "summary": _summary(run)},
    )


@require_safe
@returns_required
def import_run_refusals_csv(request, pk: int):
    """The refused rows of an import as CSV: file, line, child, column, reason."""
    run = get_object_or_404(ImportRun.objects.defer("upload"), pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-refused-rows.csv"'
    writer = csv.writer(response)
    writer.writerow(["file", "line", "child", "column", "reason"])
    for r in run.refusals:
        writer.writerow(
            [
                _safe_cell(r.get("file", "")),
                r.get("line", ""),
                _safe_cell(r.get("child", "")),
                _safe_cell(r.get("field", "")),
                _safe_cell(r.get("reason", "")),
            ]
        )
    return response


def _safe_cell(value) -> str:
    """A cell a spreadsheet will not run as a formula (the values come from uploaded files)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_safe
@returns_required
def import_run_status(request, pk: int):
    run = get_object_or_404(ImportRun.objects.defer("upload"), pk=pk)
    return JsonResponse(_run_status(run))
