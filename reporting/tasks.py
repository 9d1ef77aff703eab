"""Celery discovers tasks in <app>.tasks: the returns tasks live in reporting.returns.tasks."""

from reporting.returns.tasks import run_import

__all__ = ["run_import"]
