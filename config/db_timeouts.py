"""The PostgreSQL statement_timeout of long jobs.

Web requests connect with `-c statement_timeout=DB_STATEMENT_TIMEOUT_MS` (config/settings/base.py),
the per-request deadline. Celery workers and management commands (imports, the annual report run,
data generation, migrations) are not people waiting on a page: they run under
DB_JOB_STATEMENT_TIMEOUT_MS instead (0 = no limit). `use_job_statement_timeout()` rewrites the
connection options of every database alias in this process and closes any connection already
open, so the next one is made with the job's timeout. It is called once, when a worker or a
command starts (config.celery_app, manage.py); a single long statement inside a web request can
instead use `SET LOCAL statement_timeout` in its own transaction.
"""

import re

_TIMEOUT = re.compile(r"-c\s*statement_timeout=\S+")


def use_job_statement_timeout() -> None:
    from django.conf import settings
    from django.db import connections

    wanted = f"-c statement_timeout={settings.DB_JOB_STATEMENT_TIMEOUT_MS}"
    for database in settings.DATABASES.values():
        options = database.setdefault("OPTIONS", {})
        current = options.get("options", "")
        options["options"] = (
            _TIMEOUT.sub(wanted, current) if _TIMEOUT.search(current) else f"{current} {wanted}"
        ).strip()
    for connection in connections.all(initialized_only=True):
        connection.close()
