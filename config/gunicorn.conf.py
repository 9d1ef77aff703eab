"""gunicorn settings for the production image (Dockerfile, docker-compose.yml) and the benchmarks.

Each value can be overridden from the environment (GUNICORN_<NAME>), e.g. GUNICORN_WORKERS=5.
The service's overload behaviour (issue 34) rests on three layers: this file bounds the queue in
front of the workers, iro.admission refuses a request that has waited past its budget, and
PostgreSQL's statement_timeout bounds the time one request can hold a worker.
"""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(f"GUNICORN_{name.upper()}", default))


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# One process per core and one spare: the pages are CPU-bound Python (about 26 ms of Python and
# 11 ms of PostgreSQL per request on two cores), so more processes only take turns on the cores.
workers = _int("workers", 3)
# Threads, so that a process can accept a connection while it serves another, and refuse it at
# once when iro.admission finds the process at ADMISSION_MAX_IN_FLIGHT (2): a request then waits
# in the kernel's queue or in a worker only briefly, and a surge is answered 503 in milliseconds
# instead of waiting for a sync worker to come free. Only ADMISSION_MAX_IN_FLIGHT threads of a
# process run pages at once; more would take turns on its GIL (bench/load/run.py measured 4
# processes of 4 threads, all serving, 15% slower than 3 of 1).
worker_class = "gthread"
threads = _int("threads", 4)
# A worker silent for this long is killed and replaced. Longer than the database deadline
# (DB_STATEMENT_TIMEOUT_MS, 5 s) plus rendering, so a slow page ends by its own 503 first; short
# enough that a stuck worker is back within a minute. Exports stream (no long silence).
timeout = _int("timeout", 30)
# On a restart or deploy, requests in progress have this long to finish before being cut off:
# the longest request the deadline allows, with room.
graceful_timeout = _int("graceful_timeout", 20)
# The bounded queue in front of the workers: connections the kernel holds waiting for accept().
# Kept small (gunicorn's default is 2048): at 3 workers and about 40 req/s, 64 waiting
# connections is over a second of work; beyond that the kernel refuses the connection at once
# (the proxy answers 502/503 quickly) rather than holding it for tens of seconds. Those within the
# queue that have waited past ADMISSION_QUEUE_BUDGET_MS are refused by iro.admission in
# microseconds when a worker reaches them, so the queue drains fast after a surge.
backlog = _int("backlog", 64)
# Keep-alive only matters behind a proxy that reuses connections; a short one frees sync workers.
keepalive = _int("keepalive", 2)
# Recycle workers now and then so slow leaks never build up; jitter avoids all at once.
max_requests = _int("max_requests", 5000)
max_requests_jitter = _int("max_requests_jitter", 500)
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
