"""The annual report as a Word document, built in the background.

Building the document (every figure's tables and charts) takes seconds, so a request never waits
for it: the page (reporting.web.downloads) records the request (reporting.ReportDownload) and
queues the Celery task `reporting.build_report_download` once the transaction commits; the task
calls `report_download_build`, which writes its progress per section as it goes, and keeps the finished
document for its requester's download. The document names only the children its requester may
see (mask_child_lists, iro/access.py), so it is theirs alone.
"""

from __future__ import annotations

import logging

from django.utils import timezone

from reporting.commentary import commentary_for
from reporting.models import ReportDownload, ReportDownloadStatus

logger = logging.getLogger(__name__)

# Progress once the figures are computed; the sections take it from here to 100.
FIGURES_DONE = 10


def _set(pk: int, **fields) -> None:
    ReportDownload.objects.filter(pk=pk).update(**fields)


def report_download_build(pk: int) -> ReportDownload:
    """Build the document of download `pk` (queued or left running by a stopped worker)."""
    from reporting.exports.word import write_docx
    from reporting.presentation import Presenter, mask_child_lists
    from reporting.web.annual import annual_data, export_meta
    from reporting.web.common import year_period

    download = ReportDownload.objects.select_related("user").get(pk=pk)
    if download.status == ReportDownloadStatus.DONE:
        return download
    _set(pk, status=ReportDownloadStatus.RUNNING, progress=0, started_at=timezone.now())
    try:
        period = year_period(download.year)
        report, _shown = mask_child_lists(annual_data(period), download.user)
        sections = Presenter(report).sections(svg=False)
        _set(pk, progress=FIGURES_DONE)

        def progress(percent: int) -> None:
            _set(pk, progress=min(99, FIGURES_DONE + percent * (100 - FIGURES_DONE) // 100))

        content = write_docx(
            export_meta(report), sections, commentary=report_commentary(period), progress=progress
        )
    except Exception as error:
        logger.exception("The Word document of annual report download %s failed", pk)
        _set(
            pk,
            status=ReportDownloadStatus.FAILED,
            error=f"{type(error).__name__}: the document could not be built",
            finished_at=timezone.now(),
        )
        return ReportDownload.objects.get(pk=pk)
    _set(
        pk,
        status=ReportDownloadStatus.DONE,
        progress=100,
        content=content,
        file_name=f"iro-annual-report-{period.label}.docx",
        finished_at=timezone.now(),
    )
    return ReportDownload.objects.get(pk=pk)


def report_commentary(period) -> dict[str, str]:
    """The head of service's narrative per section key for the reporting year of `period`, as
    the report page shows it (reporting.commentary)."""
    return commentary_for(period.start.year)
