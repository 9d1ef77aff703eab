"""scripts/backup.sh and scripts/restore.sh round trip on the server the tests run on, the embedded
one included (bench/recovery.py proves the same at scale, with the service run on the copy).

On the embedded path the server is pgserver's PostgreSQL 16 while a machine's PATH may hold
older client tools, and the server is reached over a socket (?host= in the URL): both once broke
the scripts there."""

import re
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from bench.recovery import with_db
from tests.worker_database import worker_database_url

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def _tool(name: str) -> str:
    found = subprocess.run(
        ["bash", "-c", ". scripts/pg_tools.sh && pg_bin"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return f"{found.stdout.strip()}/{name}"


def _major(tool: str) -> int:
    version = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True)
    return int(re.search(r"\d+", version.stdout).group())


def _shape(url: str) -> tuple[int, int, int]:
    with psycopg.connect(url) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()[0]
        migrations = conn.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
        groups = conn.execute("SELECT count(*) FROM auth_group").fetchone()[0]
    return tables, migrations, groups


def _script(*args: str, database_url: str) -> subprocess.CompletedProcess:
    """Run a script of scripts/ as an operator would, with only the system's PATH."""
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": database_url}
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)


def test_the_backup_tools_are_no_older_than_the_server():
    server = connection.pg_version // 10000
    assert _major(_tool("pg_dump")) >= server
    assert _major(_tool("pg_restore")) >= server


def test_a_backup_restores_into_a_new_empty_database_and_not_over_one(tmp_path):
    source = worker_database_url()
    name = f"test_restore_{uuid.uuid4().hex[:10]}"
    target = with_db(source, name)
    dump = tmp_path / "iro.dump"
    try:
        backed_up = _script("scripts/backup.sh", str(dump), database_url=source)
        assert backed_up.returncode == 0, backed_up.stderr
        assert dump.stat().st_size > 10_000 and not Path(f"{dump}.partial").exists()

        restored = _script("scripts/restore.sh", str(dump), target, database_url=source)
        assert restored.returncode == 0, restored.stderr
        assert f"restored {dump} into {name}" in restored.stdout
        tables, migrations, groups = _shape(target)
        assert (tables, migrations, groups) == _shape(source)
        assert tables > 50 and migrations > 50 and groups >= 6

        again = _script("scripts/restore.sh", str(dump), target, database_url=source)
        assert again.returncode == 1
        assert f"refusing to restore: {name} already has {tables} tables" in again.stderr
    finally:
        with psycopg.connect(with_db(source, "postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
