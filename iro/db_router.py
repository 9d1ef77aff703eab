"""Which database a query goes to: reporting reads to the replica, everything else to the primary.

With ``REPLICA_DATABASE_URL`` set, the settings add a ``replica`` connection and name it in
``REPORTING_DATABASE``. Reads made while figures are computed (inside ``reporting_reads()``:
the annual report, dashboards, scorecards, exports and snapshots, through
``reporting.figures.base``) go to that connection; so do the figures' raw SQL queries, which
take their cursor from ``reporting_connection()``. Every write, and every read outside such a
block (case pages, lists, forms, drill-down rows), goes to ``default``, the primary.

A replica runs behind the primary by its replication lag (usually well under a second): figures
may miss a record saved a moment ago; case pages never do.
"""

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_ALIAS = "replica"
_reporting = contextvars.ContextVar("reporting_reads", default=False)


def reporting_alias() -> str:
    """The connection figures read from: ``REPORTING_DATABASE`` inside ``reporting_reads()``."""
    if _reporting.get():
        return getattr(settings, "REPORTING_DATABASE", DEFAULT_DB_ALIAS)
    return DEFAULT_DB_ALIAS


def reporting_connection():
    """The connection for a figure's raw SQL (``with reporting_connection().cursor() as c``)."""
    return connections[reporting_alias()]


@contextmanager
def reporting_reads() -> Iterator[None]:
    """Within this block the ORM's reads, and ``reporting_connection()``, use the reporting
    database. Threads started with a copy of the context (the annual report's second period)
    carry it with them."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


class ReportingReplicaRouter:
    """Reads inside ``reporting_reads()`` go to ``REPORTING_DATABASE``; every write, and every
    other read, to ``default``. Migrations run on ``default`` only (a replica copies them)."""

    def db_for_read(self, model, **hints):
        # None outside reporting_reads(): Django's usual choice (the instance's own database).
        return reporting_alias() if _reporting.get() else None

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both connections hold the same data.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA_ALIAS else None
