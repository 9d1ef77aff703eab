"""Celery tasks of the statutory returns: thin wrappers over the services."""

from celery import shared_task


@shared_task(name="reporting.returns.run_import")
def run_import(run_id: int) -> str:
    from reporting.returns.services import import_run_execute

    return import_run_execute(run_id=run_id).status
