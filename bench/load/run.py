"""Load and fault test: one command, prints tables. Not part of `make test`.

    .venv/bin/python bench/load/run.py [--users 50] [--seconds 60] [--faults]   (make bench-load)

Starts its own PostgreSQL cluster and its own Redis on free ports of 127.0.0.1 (so the machine's
shared services are never stopped), builds the `la` data set into it once a day (kept in
.data/load/; --fresh rebuilds it) and copies it for each run, serves the service with gunicorn on
127.0.0.1, and runs the Locust workload of bench/load/locustfile.py against it. With --faults,
Redis is shut down and started again a third of the way in, and PostgreSQL two thirds of the way
in. Afterwards it reports requests per second, p50/p95/p99 and errors (for the whole run and
around each fault), then checks that every write Locust saw succeed is in the database and that
the invariants hold. Traffic goes only to 127.0.0.1.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import date
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


PREPARE = f"""
import json
from django.contrib.auth.hashers import make_password
from iro.models import User
from iro.roles import Role, group_name
User.objects.update(password=make_password({PASSWORD!r}))
roles = {{"iro": Role.IRO, "manager": Role.TEAM_MANAGER, "head": Role.HEAD_OF_SERVICE,
          "board": Role.BOARD_MEMBER}}
staff = {{key: list(User.objects.filter(groups__name=group_name(role), is_active=True)
                   .order_by("pk").values_list("username", "pk"))
         for key, role in roles.items()}}
# The board dashboard shows the latest published snapshot: publish one (as a head of service)
# if the data has none. The annual report is read for the last complete reporting year.
from reporting.annual_data import years_with_data
from reporting.models import Snapshot
from reporting.services import snapshot_publish
if not Snapshot.objects.filter(withdrawn=False).exists():
    snapshot_publish(kind="dashboard", by=User.objects.get(username=staff["head"][0][0]))
years = years_with_data()
# In service, Celery beat keeps the live board dashboard and the scorecard worked out
# (reporting.caching.warm_dashboards every 4 minutes); no worker runs here, so warm them once.
from django.utils import timezone
from reporting.caching import warm_dashboards
warm_dashboards(timezone.localdate())
print(json.dumps({{"staff": staff, "year": years[1] if len(years) > 1 else years[0]}}))
"""

COUNTS = """
import json
from iro.models import Allocation, Child, Meeting
from reviews.models import Review
print(json.dumps({"children": Child.objects.count(), "reviews": Review.objects.count(),
                  "meetings": Meeting.objects.count(), "held": Review.objects.filter(status="held").count(),
                  "booked": Review.objects.filter(status="booked").count()}))
"""


def build_data(env: dict, fresh: bool) -> None:
    """Give the run a fresh copy of the `la` data: generated once a day into `iro_load_base`
    (its dates are relative to the day it was built), then copied to `iro_load` for every run,
    so each run starts from the same state and earlier runs' bookings do not fill today's
    diaries (when they did, every booking was refused and the write check proved nothing)."""

    def psql(sql: str) -> str:
        return subprocess.run(
            ["psql", env["ADMIN_URL"], "-Atqc", sql], capture_output=True, text=True, check=True
        ).stdout.strip()

    today = date.today().isoformat()
    built_on = psql(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
        "WHERE datname = 'iro_load_base'"
    )
    if built_on != today or fresh:
        psql("DROP DATABASE IF EXISTS iro_load_base")
        psql("CREATE DATABASE iro_load_base")
        started = time.perf_counter()
        base_env = {**env, "DATABASE_URL": env["ADMIN_URL"].rsplit("/", 1)[0] + "/iro_load_base"}
        manage(base_env, "migrate", "--verbosity=0")
        manage(base_env, "generate_data", "--scale", "la", "--seed", "1")
        psql(f"COMMENT ON DATABASE iro_load_base IS '{today}'")
        log(f"built la data in {time.perf_counter() - started:.0f} s")
    psql("DROP DATABASE IF EXISTS iro_load")
    started = time.perf_counter()
    psql("CREATE DATABASE iro_load TEMPLATE iro_load_base")
    log(f"copied the la data for this run in {time.perf_counter() - started:.1f} s")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summarise(rows: list, label: str, start: float, end: float) -> tuple:
    window = [r for r in rows if start <= r[0] < end]
    times = [r[3] for r in window]
    errors = sum(1 for r in window if not r[2])
    seconds = max(end - start, 1e-9)
    return (
        label,
        len(window),
        f"{len(window) / seconds:.1f}",
        f"{percentile(times, 50):.0f}",
        f"{percentile(times, 95):.0f}",
        f"{percentile(times, 99):.0f}",
        errors,
    )


def table(headers: tuple, rows: list) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=True)]
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    return "\n".join(lines)


VERIFY = """
import json, sys
from django.db import connection
from reviews.models import Review
import os
writes = [json.loads(line) for line in open(os.environ["LOAD_WRITES_FILE"])]
booked = {w["review"]: w["meeting"] for w in writes if w["kind"] == "booked"}
held = {w["review"] for w in writes if w["kind"] == "held"}
missing = []
for review in Review.objects.filter(pk__in=booked).select_related("meeting"):
    if review.meeting_id != booked[review.pk] or review.status not in ("booked", "held"):
        missing.append(("booked", review.pk, review.status, review.meeting_id))
found = set(Review.objects.filter(pk__in=booked).values_list("pk", flat=True))
missing += [("booked", pk, "absent", None) for pk in set(booked) - found]
for review in Review.objects.filter(pk__in=held):
    if review.status != "held" or review.held_on is None or review.participation == "":
        missing.append(("held", review.pk, review.status, review.held_on))
missing += [("held", pk, "absent", None) for pk in held - set(Review.objects.filter(pk__in=held).values_list("pk", flat=True))]
checks = {}
with connection.cursor() as c:
    c.execute('''SELECT count(*) FROM iro_allocation a JOIN iro_allocation b
                 ON a.child_id = b.child_id AND a.role = b.role AND a.id < b.id
                 WHERE a.start < COALESCE(b."end", 'infinity') AND b.start < COALESCE(a."end", 'infinity')''')
    checks["overlapping allocations (same child and role)"] = c.fetchone()[0]
    c.execute("SELECT count(*) FROM reviews_review WHERE status IN ('booked', 'held') AND meeting_id IS NULL AND held_on >= CURRENT_DATE - 120")
    checks["booked or recently held reviews without a meeting"] = c.fetchone()[0]
    c.execute("SELECT count(*) FROM reviews_review WHERE status = 'held' AND held_on IS NULL")
    checks["held reviews without a date"] = c.fetchone()[0]
    c.execute('''SELECT count(*) FROM iro_meeting m WHERE m.status <> 'cancelled'
                 AND NOT EXISTS (SELECT 1 FROM iro_meeting_children mc WHERE mc.meeting_id = m.id)''')
    checks["meetings with no child"] = c.fetchone()[0]
    c.execute('''SELECT count(*) FROM iro_meeting a JOIN iro_meeting b ON a.chair_id = b.chair_id
                 AND a.id <> b.id AND a.status <> 'cancelled' AND b.status <> 'cancelled'
                 AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
                 WHERE a.id = ANY(%s)''', [list(booked.values())])
    checks["meetings booked in the run that clash with another of the chair's"] = c.fetchone()[0]
    c.execute('''SELECT count(*) FROM (SELECT child_id, role FROM iro_allocation
                 WHERE "end" IS NULL GROUP BY child_id, role HAVING count(*) > 1) x''')
    checks["children with two open allocations in one role"] = c.fetchone()[0]
    c.execute('''SELECT count(*) FROM reviews_review r WHERE r.status = 'held'
                 AND r.held_on = CURRENT_DATE AND NOT EXISTS (SELECT 1 FROM reviews_review n
                 WHERE n.child_id = r.child_id AND n.status IN ('due', 'booked') AND n.id <> r.id)
                 AND EXISTS (SELECT 1 FROM iro_careepisode e WHERE e.child_id = r.child_id
                 AND e."end" IS NULL)''')
    checks["reviews held today whose child in care has no next review"] = c.fetchone()[0]
print(json.dumps({"booked": len(booked), "held": len(held), "missing": missing, "checks": checks}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    # On 2 cores, one thread per process beat 4 processes x 4 threads (three alternate runs each:
    # a median 60.0 against 52.1 req/s, p95 1.18 s against 1.25-1.69 s): threads of one process
    # take turns on its GIL, and a CPU-bound page holds it. One process a core and one spare.
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--faults", action="store_true", help="restart Redis, then PostgreSQL")
    parser.add_argument("--fresh", action="store_true", help="rebuild the la data")
    args = parser.parse_args()

    pg, redis = Postgres(free_port()), Redis(free_port())
    web_port = free_port()
    pg.init()
    pg.stop("immediate")  # a cluster left running by an interrupted run
    pg.start()
    redis.start()
    gunicorn = None
    results = DATA / "results"
    results.mkdir(parents=True, exist_ok=True)
    try:
        env = service_env(pg.url("iro_load"), redis.url())
        env["ADMIN_URL"] = pg.url()
        build_data(env, args.fresh)
        manage(env, "migrate", "--verbosity=0")
        prepared = json.loads(manage(env, "shell", "-c", PREPARE).strip().splitlines()[-1])
        staff = prepared["staff"]
        before = json.loads(manage(env, "shell", "-c", COUNTS).strip().splitlines()[-1])
        log(f"staff: {', '.join(f'{len(v)} {k}' for k, v in staff.items())}; data: {before}")

        gunicorn = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "config.wsgi:application", "--bind", f"{HOST}:{web_port}",
             "--workers", str(args.workers), "--worker-class", "gthread", "--threads", str(args.threads),
             "--timeout", "60", "--graceful-timeout", "20", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=open(DATA / "gunicorn.log", "w"),  # noqa: SIM115 stderr=subprocess.STDOUT,
        )  # fmt: skip
        host = f"http://{HOST}:{web_port}"
        wait_until_serving(host, args.workers)
        log(f"gunicorn ({args.workers} workers x {args.threads} threads) on {host}")

        requests_file, writes_file = results / "requests.jsonl", results / "writes.jsonl"
        locust_env = {
            **os.environ,
            "LOAD_STAFF": json.dumps(staff),
            "LOAD_YEAR": str(prepared["year"]),
            "LOAD_PASSWORD": PASSWORD,
            "LOAD_REQUESTS_FILE": str(requests_file),
            "LOAD_WRITES_FILE": str(writes_file),
        }
        started = time.time()
        locust = subprocess.Popen(
            [str(VENV_BIN / "locust"), "-f", str(ROOT / "bench/load/locustfile.py"), "--headless",
             "--users", str(args.users), "--spawn-rate", str(SPAWN_RATE),
             "--run-time", f"{args.seconds + args.users // SPAWN_RATE + SIGN_IN_ALLOWANCE}s", "--host", host, "--only-summary",
             "--loglevel", "WARNING", "--stop-timeout", "10"],
            cwd=ROOT, env=locust_env, stdout=open(results / "locust.log", "w"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        log(f"locust: {args.users} users for {args.seconds} s")
        faults = []
        measured_from = started + args.users / SPAWN_RATE + 5
        if args.faults:
            time.sleep(max(0, measured_from + args.seconds / 3 - time.time()))
            t0 = time.time()
            redis.shutdown()
            log("Redis shut down")
            time.sleep(3)
            redis.start()
            faults.append(("Redis", t0, time.time()))
            log(f"Redis started again ({time.time() - t0:.1f} s down)")
            time.sleep(max(0, measured_from + 2 * args.seconds / 3 - time.time()))
            t0 = time.time()
            pg.stop("fast")
            log("PostgreSQL stopped")
            time.sleep(3)
            pg.start()
            faults.append(("PostgreSQL", t0, time.time()))
            log(f"PostgreSQL started again ({time.time() - t0:.1f} s down)")
        locust.wait()
        ended = time.time()
    except BaseException:
        redis.shutdown()
        pg.stop("fast")
        raise
    finally:
        if gunicorn:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=40)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
                gunicorn.wait()

    rows = [json.loads(line) for line in requests_file.read_text().splitlines()]
    # Everyone signs in while spawning, and Argon2 is slow on purpose (fifty sign-ins are
    # seconds of CPU on two cores): measure the working day, from the last sign-in on, for the
    # length of the run.
    signed_in = max((r[0] for r in rows if r[1] == "Sign in"), default=started)
    rows = [r for r in rows if not r[1].startswith("Sign in")]
    ramp = max(started + args.users / SPAWN_RATE, signed_in) + 2
    ended = min(ended, ramp + args.seconds)
    summary = [summarise(rows, f"{args.seconds} s after the last sign-in", ramp, ended)]
    for name, down, up in faults:
        summary.append(summarise(rows, f"{name} down ({up - down:.1f} s)", down, up))
        summary.append(summarise(rows, f"10 s after {name} is back", up, up + 10))
        first_ok = next((r[0] for r in sorted(rows) if r[0] >= up and r[2]), None)
        until = next((d for _n, d, _u in faults if d > down), ended)
        last_error = max((r[0] for r in rows if not r[2] and down <= r[0] < until), default=None)
        recovered = f"{last_error - up:+.1f} s" if last_error else "no errors"
        summary.append((f"  {name}: last error relative to restart", "", "", "", "", "", recovered))
        if first_ok:
            summary.append((f"  {name}: first success after restart", "", "", "", "", "",
                            f"{first_ok - up:+.1f} s"))  # fmt: skip
    if faults:
        summary.insert(1, summarise(rows, "before the first fault", ramp, faults[0][1]))
        last = faults[-1][2] + 10
        summary.append(summarise(rows, "after the last fault + 10 s", last, ended))
    headers = ("window", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors")
    print(
        f"\nLoad: {args.users} users, {args.seconds} s, gunicorn {args.workers}x{args.threads} on 127.0.0.1"
    )
    print(table(headers, summary))

    by_page = {}
    for r in rows:
        if r[0] >= ramp:
            by_page.setdefault(r[1], []).append(r)
    page_rows = []
    for name, items in sorted(by_page.items()):
        times = [r[3] for r in items]
        page_rows.append((name, len(items), f"{statistics.median(times):.0f}",
                          f"{percentile(times, 95):.0f}", f"{percentile(times, 99):.0f}",
                          sum(1 for r in items if not r[2])))  # fmt: skip
    print()
    print(table(("request", "n", "p50 ms", "p95 ms", "p99 ms", "errors"), page_rows))

    try:
        verify_env = {
            **env,
            "LOAD_WRITES_FILE": str(writes_file),
        }
        out = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", VERIFY],
            cwd=ROOT, env=verify_env, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        report = json.loads(out.strip().splitlines()[-1])
        after = json.loads(manage(env, "shell", "-c", COUNTS).strip().splitlines()[-1])
    finally:
        redis.shutdown()
        pg.stop("fast")
    print(
        f"\nWrites the load tool saw succeed: {report['booked']} bookings, {report['held']} outcomes"
    )
    print(
        f"Missing or half-written in the database: {len(report['missing'])} {report['missing'][:5]}"
    )
    print(f"Counts before: {before}\nCounts after:  {after}")
    print(table(("invariant", "violations"), list(report["checks"].items())))
    problems = report["missing"] or any(report["checks"].values())
    if not report["booked"]:
        print("No booking succeeded: the write check above proved nothing.")
        problems = True
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
