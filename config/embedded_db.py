"""The embedded PostgreSQL server (pgserver) used when no DATABASE_URL is given.

The server lives in <project>/.data/pg, is started on first use and kept running so that the web
server, its reloader, the Celery worker and pytest can share it; `make stop` stops it.
"""

import os
import subprocess
from pathlib import Path

DATABASE_NAME = "iro"


def _prepare_runtime_dir(data_dir: Path) -> None:
    # pgserver keeps its lock files in XDG_RUNTIME_DIR; a project-local one avoids sharing
    # a folder in /tmp with every other project on the machine.
    runtime = data_dir / "run"
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.environ["XDG_RUNTIME_DIR"] = str(runtime)


def get_server(data_dir: Path):
    data_dir.mkdir(parents=True, exist_ok=True)
    _prepare_runtime_dir(data_dir)
    import pgserver

    return pgserver.get_server(data_dir / "pg", cleanup_mode=None)


def database_url(data_dir: Path) -> str:
    """Start (or attach to) the embedded server and return a URL for the project database."""
    server = get_server(data_dir)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return server.get_uri(DATABASE_NAME)


def stop(data_dir: Path) -> str:
    pgdata = data_dir / "pg"
    if not (pgdata / "postmaster.pid").exists():
        return "The embedded database is not running."
    _prepare_runtime_dir(data_dir)
    import pgserver

    pg_ctl = Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_ctl"
    command = [str(pg_ctl), "-D", str(pgdata), "-m", "fast", "stop"]
    if os.geteuid() == 0:
        # As root, pgserver runs postgres as its own system user; pg_ctl must run as that user.
        command = ["su", "-s", "/bin/sh", "pgserver", "-c", " ".join(command)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    return (result.stdout + result.stderr).strip() or "The embedded database was stopped."
