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

Its parts: the services it starts (bench/load/cluster.py), the data and the checks afterwards
(data.py) and the report's statistics (stats.py).
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.load.cluster import (  # noqa: E402
    DATA,
    HOST,
    PASSWORD,
    ROOT,
    SIGN_IN_ALLOWANCE,
    SPAWN_RATE,
    VENV_BIN,
    Postgres,
    Redis,
    free_port,
    log,
    manage,
    service_env,
    wait_until_serving,
)
from bench.load.data import COUNTS, PREPARE, VERIFY, build_data  # noqa: E402
from bench.load.stats import percentile, summarise, table  # noqa: E402


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
