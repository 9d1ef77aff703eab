"""What the benchmarks that run each step in a process of its own share: Django on a named
bench database, running a step of a script and reading the JSON it prints, copying and dropping
bench databases, emptying a copy of its case records, and the peak memory of a step.

The scripts put the project's root on `sys.path` before importing this module.
"""

from __future__ import annotations

import json
import resource
import sys


def django_for(database: str) -> None:
    import os

    from bench.run import _bench_database_url

    os.environ["DATABASE_URL"] = _bench_database_url(database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    # A batch job: figures over a year at `la` on a busy machine may pass the pages' 5 s limit.
    os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "0")
    import django

    django.setup()


def run_step(script: str, *args: str) -> dict:
    import subprocess

    done = subprocess.run(  # noqa: S603 (this file, with fixed step names)
        [sys.executable, script, "--step", *args], capture_output=True, text=True, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"step {args[0]} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return json.loads(lines[-1])


def _admin(name: str):
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    from bench.run import _bench_database_url

    parts = urlsplit(_bench_database_url(name))
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def copy_database(source: str, target: str) -> None:
    with _admin(source) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


def drop_database(name: str) -> None:
    with _admin(name) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB (ru_maxrss is in KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step_empty(database: str) -> dict:
    """Remove every child and what hangs off them (staff, postcodes, settings stay)."""
    django_for(database)
    from django.db import connection

    from iro.models import Child

    with connection.cursor() as cursor:
        cursor.execute(f'TRUNCATE "{Child._meta.db_table}" CASCADE')
    return {"children": Child.objects.count()}
