"""The annual report's Word document: asked for, built in the background, then downloaded.

The old address of the Word download (`annual-docx`) starts a build and redirects to its progress
page, which polls the build's status (static/js/report-download.js; without JavaScript, a meta
refresh inside <noscript>) until the document is ready, then offers it. A build is its requester's alone (it names the children they may see): anyone else gets 404.
"""

from django.db import transaction
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from iro.tasks import enqueue
from reporting.models import ReportDownload, ReportDownloadStatus
from reporting.tasks import build_report_download
from reporting.web.common import DOCX, download, require_perm, year_period

# Seconds between refreshes of the progress page while the document is being built.
REFRESH_SECONDS = 2


def report_download_start(*, user, year: int) -> ReportDownload:
    """Record a request for the annual report of `year` as a Word document and queue its build
    (reporting.report_downloads.report_download_build) once the transaction commits."""
    with transaction.atomic():
        download = ReportDownload.objects.create(user=user, year=year)
        enqueue(build_report_download, download.pk)
    return download


def _own(request, pk: int) -> ReportDownload:
    require_perm(request, "reporting.view_reports")
    found = ReportDownload.objects.defer("content").filter(pk=pk, user=request.user).first()
    if found is None:
        raise Http404("No such download")
    return found


@require_http_methods(["GET", "HEAD", "POST"])
def annual_docx(request, year: int):
    """Start building the annual report of `year` as a Word document; show its progress."""
    require_perm(request, "reporting.view_reports")
    year_period(year)
    started = report_download_start(user=request.user, year=year)
    return HttpResponseRedirect(reverse("reporting:report-download", args=[started.pk]))


@require_safe
def report_download(request, pk: int):
    job = _own(request, pk)
    return render(
        request,
        "reporting/report_download.html",
        {
            "job": job,
            "refresh": 0 if job.finished else REFRESH_SECONDS,
            "failed": job.status == ReportDownloadStatus.FAILED,
        },
    )


@require_safe
def report_download_status(request, pk: int):
    """The build's progress as JSON, for the progress page's script."""
    job = _own(request, pk)
    response = JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "progress": job.progress,
            "finished": job.finished,
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def report_download_file(request, pk: int):
    job = _own(request, pk)
    if job.status != ReportDownloadStatus.DONE:
        return HttpResponseRedirect(reverse("reporting:report-download", args=[pk]))
    content = ReportDownload.objects.values_list("content", flat=True).get(pk=pk)
    return download(bytes(content), job.file_name, DOCX)
