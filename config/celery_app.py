"""Celery application: Redis in production, kombu's filesystem transport when run locally.

The beat schedule is declared in settings (CELERY_BEAT_SCHEDULE). When a worker starts it runs
the reminder rules once (daily and hourly), so reminders appear within a minute of `make run` and
catch up after any downtime; the ledger keeps each reminder to one notification.
"""

import logging
import os

from celery import Celery
from celery.signals import worker_init, worker_process_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("iro")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


@worker_init.connect
@worker_process_init.connect
def long_job_statement_timeout(**kwargs) -> None:
    """Tasks run under DB_JOB_STATEMENT_TIMEOUT_MS, not the web request's deadline."""
    from config.db_timeouts import use_job_statement_timeout

    use_job_statement_timeout()


@worker_ready.connect
def run_reminders_on_start(sender=None, **kwargs) -> None:
    from django.conf import settings

    if not getattr(settings, "REMINDERS_RUN_ON_WORKER_START", False):
        return
    for schedule in ("daily", "hourly"):
        try:
            app.send_task("iro.run_reminder_rules", args=(schedule,))
        except Exception:
            logger.warning(
                "Could not queue the %s reminder rules on start", schedule, exc_info=True
            )
