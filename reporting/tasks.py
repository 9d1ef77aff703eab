"""Celery tasks of reporting (the returns tasks live in reporting.returns.tasks)."""

from celery import shared_task

from reporting.returns.tasks import requeue_waiting_imports, run_import

__all__ = ["build_report_download", "requeue_waiting_imports", "run_import", "warm_dashboards"]


@shared_task(name="reporting.warm_dashboards")
def warm_dashboards() -> list[str]:
    """Beat: keep the cached live board dashboard and scorecard fresh (reporting.caching)."""
    from django.utils import timezone

    from reporting.caching import warm_dashboards as warm

    return warm(timezone.localdate())


@shared_task(name="reporting.build_report_download")
def build_report_download(download_id: int) -> str:
    """Build the annual report's Word document of one ReportDownload."""
    from reporting.report_downloads import report_download_build

    return report_download_build(download_id).status
