"""The load test's own services on free ports of 127.0.0.1: a PostgreSQL cluster and a Redis that
it starts and stops (so the machine's shared services are never touched), and the environment
and `manage.py` calls of the service under test.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / ".data" / "load"
VENV_BIN = Path(sys.executable).parent
PASSWORD = "load-test-password-2026"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
HOST = "127.0.0.1"
SPAWN_RATE = 5  # users started per second
SIGN_IN_ALLOWANCE = 30  # seconds of run beyond ramp-up, so the measured window is whole


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class Postgres:
    """A private cluster with Debian's (or PG_BIN's) binaries; run as `postgres` when root."""

    def __init__(self, port: int):
        self.dir = DATA / "pg"
        self.port = port
        self.socket_dir = DATA / "run"
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str, check: bool = True):
        return subprocess.run(
            [*self.as_owner, *args], check=check, capture_output=True, text=True, cwd="/"
        )

    def init(self) -> None:
        DATA.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(exist_ok=True)
        if self.as_owner:
            shutil.chown(DATA, "postgres")
            shutil.chown(self.socket_dir, "postgres")
        if not (self.dir / "PG_VERSION").exists():
            self._run(str(PG_BIN / "initdb"), "-D", str(self.dir), "-U", "postgres", "-A", "trust")

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses={HOST} "
            "-c max_connections=200 -c shared_buffers=256MB -c jit=off"
        )
        self._run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.dir), "-o", options,
            "-l", str(DATA / "pg.log"), "-w", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.dir), "-m", mode, "-w", "stop", check=False
        )

    def url(self, name: str = "postgres") -> str:
        return f"postgresql://postgres@{HOST}:{self.port}/{name}"


class Redis:
    def __init__(self, port: int):
        self.port = port
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", HOST, "--save", "",
             "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(50):
            ping = subprocess.run(
                ["redis-cli", "-h", HOST, "-p", str(self.port), "ping"],
                capture_output=True, text=True,
            )  # fmt: skip
            if ping.stdout.strip() == "PONG":
                return
            time.sleep(0.1)
        raise SystemExit("redis-server did not start")

    def shutdown(self) -> None:
        subprocess.run(
            ["redis-cli", "-h", HOST, "-p", str(self.port), "shutdown", "nosave"],
            capture_output=True,
        )
        if self.process:
            self.process.wait(timeout=10)

    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"


def wait_until_serving(host: str, workers: int) -> None:
    """gunicorn binds its port before its workers have imported Django: wait until /health/
    answers, several times over so that every worker is up, before the clock starts."""
    import urllib.request

    answered, deadline = 0, time.time() + 300
    while answered < 4 * workers:
        if time.time() > deadline:
            raise SystemExit("gunicorn did not answer /health/ within 5 minutes")
        try:
            with urllib.request.urlopen(f"{host}/health/", timeout=10) as response:
                answered += response.status == 200
        except OSError:
            time.sleep(0.5)


def service_env(database_url: str, redis_url: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "false",
        "ALLOWED_HOSTS": HOST,
        "API_RATE_LIMIT": "1000000/hour",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout
