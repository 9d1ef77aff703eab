"""Backup and restore, proved on a copy: one command, prints a table of timings.

    .venv/bin/python bench/recovery.py [--scale small]      (make recovery)

1. creates a scratch database on the server DATABASE_URL points at (or the embedded one),
   migrates it and generates synthetic data;
2. backs it up with scripts/backup.sh and counts the rows of every table;
3. writes more after the backup (a child, through the service that creates children);
4. restores the backup with scripts/restore.sh into a second, new database;
5. checks the service on the restored database: `manage.py check`, `migrate --check`, /health/
   and the children list through Django's test client, the same row counts as at the backup,
   and the writes made after the backup absent.
Both scratch databases are dropped at the end. Not part of `make test`.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
MARKER = "AFTER-BACKUP-1"


def server_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    sys.path.insert(0, str(ROOT))
    from config.embedded_db import get_server

    return get_server(Path(os.environ.get("IRO_DATA_DIR", ROOT / ".data"))).get_uri("postgres")


def with_db(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def admin(url: str, sql: str) -> None:
    with psycopg.connect(with_db(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


def manage(db_url: str, *args: str) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "ALLOWED_HOSTS": "testserver",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def row_counts(db_url: str) -> dict[str, int]:
    with psycopg.connect(db_url) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


WRITE_MORE = f"""
from datetime import date
from iro.services.children import child_create
child = child_create(la_child_id="{MARKER}", first_name="After", last_name="Backup",
                     date_of_birth=date(2015, 5, 1))
print(child.pk)
"""

SERVICE_ON_RESTORED = f"""
from django.test import Client
from iro.models import Child, User
from iro.roles import Role, group_name
health = Client().get("/health/")
assert health.status_code == 200, health.content
manager = User.objects.filter(groups__name=group_name(Role.TEAM_MANAGER)).first()
client = Client()
client.force_login(manager)
listing = client.get("/children/")
assert listing.status_code == 200
assert not Child.objects.filter(la_child_id="{MARKER}").exists()
print("health", health.json()["checks"], "children list", listing.status_code)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small", choices=["small", "la"])
    args = parser.parse_args()

    url = server_url()
    suffix = f"{os.getpid()}"
    source_name, restored_name = f"iro_recovery_src_{suffix}", f"iro_recovery_restored_{suffix}"
    source, restored = with_db(url, source_name), with_db(url, restored_name)
    timings: list[tuple[str, float, str]] = []

    def step(label: str, func, note=lambda result: ""):
        started = time.perf_counter()
        result = func()
        timings.append((label, time.perf_counter() - started, note(result)))
        return result

    admin(url, f'CREATE DATABASE "{source_name}"')
    try:
        with tempfile.TemporaryDirectory() as tmp:
            dump = Path(tmp) / "iro.dump"
            step("migrate scratch database", lambda: manage(source, "migrate", "--verbosity=0"))
            step(
                f"generate {args.scale} data",
                lambda: manage(source, "generate_data", "--scale", args.scale, "--seed", "7"),
            )
            env = {**os.environ, "DATABASE_URL": source}
            step(
                "backup (scripts/backup.sh)",
                lambda: subprocess.run(
                    ["scripts/backup.sh", str(dump)],
                    cwd=ROOT,
                    env=env,
                    check=True,
                    text=True,
                    capture_output=True,
                ),
                lambda _r: f"{dump.stat().st_size / 1e6:.1f} MB",
            )
            at_backup = row_counts(source)
            step(
                "write more after the backup",
                lambda: manage(source, "shell", "-c", WRITE_MORE),
                lambda out: f"child {out.strip().splitlines()[-1]}",
            )
            after = row_counts(source)
            changed = sorted(t for t in after if after[t] != at_backup[t])
            assert "iro_child" in changed, changed
            step(
                "restore (scripts/restore.sh)",
                lambda: subprocess.run(
                    ["scripts/restore.sh", str(dump), restored],
                    cwd=ROOT,
                    check=True,
                    text=True,
                    capture_output=True,
                ),
            )
        restored_counts = row_counts(restored)  # before the checks sign anyone in
        step("manage.py check", lambda: manage(restored, "check"))
        step("migrate --check (none missing)", lambda: manage(restored, "migrate", "--check"))
        step(
            "/health/ and children list",
            lambda: manage(restored, "shell", "-c", SERVICE_ON_RESTORED),
            lambda out: out.strip().splitlines()[-1],
        )
        mismatched = {
            t: (at_backup[t], restored_counts.get(t))
            for t in at_backup
            if at_backup[t] != restored_counts.get(t)
        }
        assert not mismatched, f"row counts differ from the backup: {mismatched}"
        total = sum(at_backup.values())
        timings.append(
            ("row counts equal the backup", 0.0, f"{len(at_backup)} tables, {total:,} rows")
        )
        timings.append(
            ("writes after the backup absent", 0.0, f"{', '.join(changed)} as at backup")
        )
    finally:
        for name in (restored_name, source_name):
            admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    print(f"\nBackup and restore at scale '{args.scale}'")
    print(f"{'step':<34} {'seconds':>8}  note")
    print(f"{'-' * 34} {'-' * 8}  {'-' * 40}")
    for label, seconds, note in timings:
        print(f"{label:<34} {seconds:>8.1f}  {note}")
    print("\nRecovery proved: the service runs on the restored copy.")


if __name__ == "__main__":
    main()
