"""Signals of the statutory returns, so that the services do not import the Celery tasks."""

from django.dispatch import Signal

# An import run is waiting for a worker (uploaded, or sent again); reporting.returns.tasks queues
# it when the transaction commits. kwargs: run_id
import_run_waiting = Signal()
