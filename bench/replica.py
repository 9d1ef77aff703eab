"""The reporting router against a real streaming replica: a scratch primary, a replica of it made
with pg_basebackup, the annual report run with REPLICA_DATABASE_URL, and where the queries went.

    .venv/bin/python bench/replica.py [--copy-from iro_bench_small] [--port 55431] [--year 2025]

Starts two PostgreSQL servers on 127.0.0.1 (ports --port and --port+1) in a temporary directory:
the primary (wal_level=replica) and a hot standby cloned from it with `pg_basebackup -R`, which
streams the primary's WAL. The primary gets the service's schema and data: a copy of the database
--copy-from on DATABASE_URL's server when it exists (bench/run.py --scale small makes
iro_bench_small), otherwise `migrate` and `generate_data --scale small`. Then, with
DATABASE_URL on the primary and REPLICA_DATABASE_URL on the standby, it:

- runs the annual report (reporting.annual_data.build_report) and counts the queries on each
  connection, and asks each server whether it is in recovery (the standby answers true);
- books a meeting (iro.meetings.meeting_book), which must run on the primary, and waits for the
  row to arrive on the standby;
- stops both servers and removes the directory, whatever happened.

Uses PostgreSQL's binaries from PG_BIN, else Debian's /usr/lib/postgresql/<version>/bin, else
pgserver's. As root, the servers run as the `postgres` system user. Not part of the test suite:
the router's test (tests/reporting/test_replica_router.py) uses a mirror connection instead.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _find_bin() -> Path:
    candidates = []
    if os.environ.get("PG_BIN"):
        candidates.append(Path(os.environ["PG_BIN"]))
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    candidates.extend(debian)
    try:
        import pgserver

        candidates.append(Path(pgserver.__file__).parent / "pginstall" / "bin")
    except ImportError:
        pass
    for path in candidates:
        if all((path / tool).exists() for tool in ("initdb", "pg_ctl", "pg_basebackup")):
            return path
    raise SystemExit("No PostgreSQL binaries with initdb, pg_ctl and pg_basebackup were found.")


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return result


def _say(started: float, message: str) -> None:
    print(f"[{time.monotonic() - started:6.1f}s] {message}", flush=True)


def _start(pg_bin: Path, pgdata: Path, port: int, socket_dir: Path) -> None:
    options = (
        f"-p {port} -c listen_addresses=127.0.0.1 -k {socket_dir} -c wal_level=replica "
        "-c max_wal_senders=4 -c hot_standby=on -c fsync=off -c jit=off"
    )
    _run(
        _as_server_user(
            [str(pg_bin / "pg_ctl"), "-D", str(pgdata), "-o", options, "-l", str(pgdata) + ".log"]
            + ["-w", "-t", "60", "start"]
        )
    )


def _stop(pg_bin: Path, pgdata: Path) -> None:
    if (pgdata / "postmaster.pid").exists():
        subprocess.run(
            _as_server_user([str(pg_bin / "pg_ctl"), "-D", str(pgdata), "-m", "fast", "stop"]),
            capture_output=True,
            check=False,
        )


def _copy_database(source_url: str, target_url: str) -> bool:
    """pg_dump | psql from the source database into the primary; False if there is no source."""
    import psycopg

    parts = urlsplit(source_url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    except psycopg.OperationalError:
        return False
    if not found:
        return False
    dump = subprocess.Popen(
        ["pg_dump", "--no-owner", "--no-privileges", source_url], stdout=subprocess.PIPE
    )
    restore = subprocess.run(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", target_url],
        stdin=dump.stdout,
        capture_output=True,
        text=True,
    )
    dump.wait()
    if dump.returncode or restore.returncode:
        raise RuntimeError(f"Copying {name} failed: {restore.stderr}")
    return True


def _manage(env: dict, *args: str) -> None:
    _run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, timeout=1800)


def _wait_for_replay(primary_url: str, replica_url: str, timeout: float = 60) -> float:
    """Seconds until the standby has replayed the primary's current WAL position."""
    import psycopg

    with psycopg.connect(primary_url, autocommit=True) as conn:
        target = conn.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
    started = time.monotonic()
    with psycopg.connect(replica_url, autocommit=True) as conn:
        while time.monotonic() - started < timeout:
            done = conn.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [str(target)]
            ).fetchone()[0]
            if done:
                return time.monotonic() - started
            time.sleep(0.05)
    raise RuntimeError("The replica did not catch up with the primary within a minute.")


def _report(primary_url: str, replica_url: str, year: int, started: float) -> None:
    """In this process: Django on the primary with the replica configured, as production runs."""
    os.environ.update(
        DATABASE_URL=primary_url,
        REPLICA_DATABASE_URL=replica_url,
        DJANGO_SETTINGS_MODULE="config.settings.local",
        ALLOWED_HOSTS="testserver",
    )
    os.environ.pop("REDIS_URL", None)  # a local-memory cache: the report is computed, not read
    import django

    django.setup()
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    from iro.meetings import meeting_book
    from iro.models import Child, Meeting, MeetingKind, User
    from reporting.annual_data import build_report
    from reporting.figures import Period

    for alias in ("default", "replica"):
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT inet_server_port(), pg_is_in_recovery()")
            port, standby = cursor.fetchone()
        _say(started, f"connection {alias!r}: server on port {port}, in recovery: {standby}")

    primary, replica = (CaptureQueriesContext(connections[a]) for a in ("default", "replica"))
    clock = time.perf_counter()
    with primary, replica:
        report = build_report(Period.year(year))
    seconds = time.perf_counter() - clock
    figures = sum(len(section["figures"]) for section in report["sections"])
    _say(
        started,
        f"annual report {year}: {seconds:.2f} s, {figures} figures; queries on the "
        f"replica {len(replica.captured_queries)}, on the primary {len(primary.captured_queries)}",
    )
    for query in primary.captured_queries:
        _say(started, f"  on the primary: {query['sql'][:100]}")

    chair = User.objects.filter(is_active=True, allocations__isnull=False).distinct().first()
    child = Child.objects.order_by("pk").first()
    primary, replica = (CaptureQueriesContext(connections[a]) for a in ("default", "replica"))
    with primary, replica:
        meeting = meeting_book(
            kind=MeetingKind.CLA_REVIEW,
            chair=chair,
            children=[child],
            starts_at=datetime(year + 5, 6, 2, 10, tzinfo=ZoneInfo("Europe/London")),
            venue_type="office",
        )
    _say(
        started,
        f"booking: queries on the primary {len(primary.captured_queries)}, "
        f"on the replica {len(replica.captured_queries)}",
    )
    lag = _wait_for_replay(primary_url, replica_url)
    arrived = Meeting.objects.using("replica").filter(pk=meeting.pk).exists()
    _say(started, f"the booking reached the replica after {lag * 1000:.0f} ms: {arrived}")
    for alias in ("default", "replica"):
        connections[alias].close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=55431, help="primary's port (replica: +1)")
    parser.add_argument("--copy-from", default="iro_bench_small", help="database to copy")
    parser.add_argument("--year", type=int, default=2025, help="the report's year (April-March)")
    args = parser.parse_args()
    if args.port <= 55000:
        raise SystemExit("Use a port above 55000.")
    started = time.monotonic()
    pg_bin = _find_bin()
    _say(started, f"PostgreSQL binaries: {pg_bin}")
    workdir = Path(tempfile.mkdtemp(prefix="iro-replica-"))
    primary_dir, replica_dir = workdir / "primary", workdir / "replica"
    if os.geteuid() == 0:
        shutil.chown(workdir, user="postgres")
    primary_url = f"postgresql://postgres@127.0.0.1:{args.port}/iro"
    replica_url = f"postgresql://postgres@127.0.0.1:{args.port + 1}/iro"
    try:
        _run(
            _as_server_user(
                [str(pg_bin / "initdb"), "-D", str(primary_dir), "-U", "postgres"]
                + ["--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]
            )
        )
        _start(pg_bin, primary_dir, args.port, workdir)
        _say(started, f"primary running on 127.0.0.1:{args.port}")
        _run(
            ["psql", f"postgresql://postgres@127.0.0.1:{args.port}/postgres"]
            + ["-c", "CREATE DATABASE iro"]
        )
        source = os.environ.get("DATABASE_URL", "")
        copied = bool(source) and _copy_database(
            urlunsplit(urlsplit(source)._replace(path=f"/{args.copy_from}")), primary_url
        )
        env = {
            **os.environ,
            "DATABASE_URL": primary_url,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
        }
        env.pop("REPLICA_DATABASE_URL", None)
        if copied:
            _say(started, f"copied {args.copy_from} into the primary")
        else:
            _manage(env, "migrate", "--noinput")
            _manage(env, "generate_data", "--scale", "small")
            _say(started, "migrated and generated the small data set on the primary")
        _run(
            _as_server_user(
                [str(pg_bin / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(args.port)]
                + ["-U", "postgres", "-D", str(replica_dir), "-R", "-X", "stream", "-c", "fast"]
            )
        )
        _start(pg_bin, replica_dir, args.port + 1, workdir)
        lag = _wait_for_replay(primary_url, replica_url)
        _say(
            started,
            f"replica (pg_basebackup -R, streaming) running on 127.0.0.1:{args.port + 1}, "
            f"caught up in {lag * 1000:.0f} ms",
        )
        _report(primary_url, replica_url, args.year, started)
    finally:
        _stop(pg_bin, replica_dir)
        _stop(pg_bin, primary_dir)
        shutil.rmtree(workdir, ignore_errors=True)
        _say(started, "both servers stopped, their directory removed")


if __name__ == "__main__":
    main()
