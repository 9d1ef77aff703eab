"""Celery tasks of the statutory returns: thin wrappers over the services."""

from celery import shared_task


def queue_import(sender, run_id: int, **kwargs) -> None:
    """Receiver of reporting.returns.signals.import_run_waiting: the import task, on commit."""
    from iro.tasks import enqueue

    enqueue(run_import, run_id)


@shared_task(name="reporting.returns.run_import")
def run_import(run_id: int) -> str:
    from reporting.returns.services import import_run_execute

    return import_run_execute(run_id=run_id).status


@shared_task(name="reporting.returns.requeue_waiting_imports")
def requeue_waiting_imports() -> list[int]:
    """Beat: send again the imports still waiting to start (the broker was down at upload)."""
    from reporting.returns.services import requeue_waiting_imports as requeue

    return requeue()
