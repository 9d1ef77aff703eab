"""Open-loop benchmark: requests arrive at a fixed rate whatever the answers (`make bench-open`,
and `make bench-load`, the load model: the same at 5, 10, 20 and 40 requests a second).

    .venv/bin/python bench/open_loop.py [--scale la] [--rates 5,10,20,40,60,80,100]
        [--step-seconds 30] [--surge] [--surge-seconds 120]

The mix (MIX) is each role's pages and writes, weighted as a working day's peak shares them out;
the run prints each role's share and mix first, then the table per step, the p95 of each role's
requests per step, and the knee.

Unlike the closed-loop Locust run (bench/load), whose users wait for each answer before sending
the next, arrivals here are a Poisson process at each step's rate, and each request's latency is
measured from the moment it was due, so time spent waiting for a worker counts. It starts its own
PostgreSQL and Redis (bench/load/run.py's, on free ports of 127.0.0.1), copies the data set from a
template database built once a day per scale, and serves the service as the Dockerfile does:
gunicorn with config/gunicorn.conf.py, production settings, DEBUG off, whitenoise for static
files. Each request carries `X-Request-Start` (its due time), as the proxy in front would set it.

For each step it prints p50/p95/p99 of the served requests, errors (timeouts after 10 s, failed
connections, 5xx other than 503), the 503s, and the server's CPU per request (user + system time
of the gunicorn processes and of the PostgreSQL backends, from /proc), then names the knee: the
highest rate with p95 under 300 ms and no errors, and the rate where p95 passes 300 ms. With --surge (`make bench-open SURGE=1`) it
then runs twice the knee for --surge-seconds and the knee rate for 30 s after, and prints the
served p95, how fast the refusals were answered, the longest wait, the writes lost and how long
p95 took to come back under 300 ms.

Writes: IROs book due reviews through the API. After each step every booking the tool saw
succeed (200) must be in the database with its meeting, and every one it saw refused (503) or
rejected (400) must still be unbooked; the count of each is printed ("writes lost" = succeeded
but absent, plus refused but present).

The load tool runs on the same machine as the service: it takes some of the CPU, and on a shared
machine the figures vary from run to run.
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import http.client  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("load_run", ROOT / "bench" / "load" / "run.py")
load = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(load)

HOST = load.HOST
TIMEOUT = 10.0  # seconds: a request not answered by then counts as an error
KNEE_P95_MS = 300
CLK_TCK = os.sysconf("SC_CLK_TCK")

# (weight, role, label, path); {child} and {review} are filled per request from the IRO's own.
MIX = [
    (10, "iro", "IRO home", "/"),
    (8, "iro", "child record", "/children/{child}/"),
    (4, "iro", "review booking form", "/reviews/{review}/book/"),
    (3, "iro", "my reviews", "/reviews/"),
    (4, "iro", "API children", "/api/children/"),
    (2, "iro", "API due reviews", "/api/reviews/?status=due"),
    (4, "manager", "weekly schedule", "/reviews/schedule/"),
    (4, "manager", "caseloads", "/caseloads/"),
    (2, "manager", "reports home", "/reporting/"),
    (3, "head", "escalation queue", "/escalations/queue/"),
    (2, "board", "board dashboard", "/reporting/board/"),
    (4, "iro", "notifications", "/notifications/"),
    (6, "iro", "static file", "/static/js/app.js"),
    (3, "iro", "WRITE book a review", None),
]


ROLE_NAMES = {
    "iro": "IRO",
    "manager": "IRO team manager",
    "head": "Head of service",
    "board": "Board member",
}


def mix_table() -> str:
    """Each role's share of the requests and its mix of pages and writes (from MIX)."""
    total = sum(w for w, *_ in MIX)
    rows = []
    for role, name in ROLE_NAMES.items():
        items = [(w, label) for w, r, label, _path in MIX if r == role]
        weight = sum(w for w, _ in items)
        writes = sum(w for w, label in items if label.startswith("WRITE"))
        pages = ", ".join(
            f"{label.removeprefix('WRITE ')} {100 * w / weight:.0f}%" for w, label in items
        )
        rows.append((name, f"{100 * weight / total:.0f}%", f"{100 * writes / weight:.0f}%", pages))
    return load.table(("role", "share of requests", "writes", "its requests"), rows)


def role_p95_table(steps: list[tuple[float, list]]) -> str:
    """p95 (ms) of the answered requests of each role at each step."""
    headers = ("req/s", *(f"{name} p95 ms" for name in ROLE_NAMES.values()))
    rows = []
    for rate, step_rows in steps:
        cells = []
        for role in ROLE_NAMES:
            served = [r[3] for r in step_rows if r[5] == role and 200 <= r[2] < 500]
            cells.append(f"{percentile(served, 95):.0f}" if served else "-")
        rows.append((f"{rate:g}", *cells))
    return load.table(headers, rows)


def load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


class Session:
    """One signed-in member of staff: cookies kept by hand (production cookies are Secure and
    the service is reached over plain HTTP here, with X-Forwarded-Proto: https)."""

    def __init__(self, port: int, username: str, user_id: int):
        self.port, self.username, self.user_id = port, username, user_id
        self.cookies: dict[str, str] = {}
        self.children: list[int] = []
        self.due: list[int] = []

    def request(self, method: str, path: str, body=None, headers=None, timeout=TIMEOUT):
        conn = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            all_headers = {
                "Host": HOST,
                "X-Forwarded-Proto": "https",
                "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                **(headers or {}),
            }
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            data = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, dict(response.getheaders()), data
        finally:
            conn.close()

    def sign_in(self, password: str) -> None:
        _s, _h, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        form = f"username={self.username}&password={password}&csrfmiddlewaretoken={token}"
        status, _h, _b = self.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"https://{HOST}/accounts/login/",
            },
            timeout=60,
        )
        if status != 302:
            raise SystemExit(f"sign-in of {self.username} answered {status}")

    def api(self, path: str) -> dict:
        status, _h, body = self.request("GET", path, timeout=60)
        return json.loads(body) if status == 200 else {}


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime, stime, cutime, cstime (fields 14-17): children's time keeps finished workers'.
        total += sum(int(x) for x in fields[11:15]) / CLK_TCK
    return total


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def server_cpu(gunicorn_pid: int, postmaster_pid: int) -> tuple[float, float]:
    web = cpu_seconds([gunicorn_pid, *children_of(gunicorn_pid)])
    return web, cpu_seconds([postmaster_pid, *children_of(postmaster_pid)])


class Run:
    def __init__(self, sessions: dict[str, list[Session]]):
        self.sessions = sessions
        self.choices = [(role, label, path) for w, role, label, path in MIX for _ in range(w)]
        self.rows: list[tuple] = []  # (due, label, status, ms, retry_after, role)
        self.writes: list[tuple] = []  # (review, outcome, meeting)

    def one(self, due: float, role: str, label: str, path: str | None) -> None:
        session = random.choice(self.sessions[role])
        headers = {"X-Request-Start": f"t={due * 1000:.0f}"}
        review = None
        try:
            if path is None:
                if not session.due:
                    return
                review = session.due.pop()
                booking = {
                    "chair": session.user_id,
                    "meeting_date": date.today().isoformat(),
                    "start_time": f"{random.randrange(8, 18):02d}:{random.choice((0, 15, 30, 45)):02d}",
                    "venue_type": "virtual",
                    "late_reason": "Open-loop benchmark: booked on the day",
                }
                headers.update(
                    {
                        "Content-Type": "application/json",
                        "X-CSRFToken": session.cookies.get("csrftoken", ""),
                        "Referer": f"https://{HOST}/",
                    }
                )
                status, answer_headers, body = session.request(
                    "POST", f"/api/reviews/{review}/book/", json.dumps(booking), headers
                )
            else:
                path = path.format(
                    child=random.choice(session.children or [0]),
                    review=random.choice(session.due or [0]),
                )
                status, answer_headers, body = session.request("GET", path, headers=headers)
        except Exception:
            status, answer_headers, body = 0, {}, b""
        ms = (time.time() - due) * 1000
        self.rows.append((due, label, status, ms, "Retry-After" in answer_headers, role))
        if review is not None:
            meeting = None
            if status == 200:
                meeting = json.loads(body)["meeting"]["id"]
            self.writes.append((review, status, meeting))

    def arrive(self, rate: float, seconds: float) -> float:
        """Poisson arrivals at `rate` per second for `seconds`; returns when all have answered."""
        start = time.time() + 0.2
        due, spawned = start, []
        while True:
            due += random.expovariate(rate)
            if due >= start + seconds:
                break
            gevent.sleep(max(0.0, due - time.time()))
            role, label, path = random.choice(self.choices)
            spawned.append(gevent.spawn(self.one, due, role, label, path))
        gevent.joinall(spawned, timeout=TIMEOUT + 5)
        return start


def percentile(values: list[float], p: float) -> float:
    return load.percentile(values, p)


def summarise(rows: list[tuple]) -> dict:
    served = [r[3] for r in rows if 200 <= r[2] < 500]
    refused = [r for r in rows if r[2] == 503]
    errors = [
        r for r in rows if r[2] == 0 or (r[2] >= 500 and r[2] != 503) or r[3] > TIMEOUT * 1000
    ]
    return {
        "n": len(rows),
        "p50": percentile(served, 50),
        "p95": percentile(served, 95),
        "p99": percentile(served, 99),
        "errors": len(errors),
        "503": len(refused),
        "refused_fast": sum(1 for r in refused if r[3] < 50 and r[4]),
        "refused_p95": percentile([r[3] for r in refused], 95),
        "max": max((r[3] for r in rows), default=0.0),
    }


VERIFY_SQL = "SELECT id, status, meeting_id FROM reviews_review WHERE id = ANY(%s)"


def check_writes(database_url: str, writes: list[tuple]) -> dict:
    """Every booking seen succeed is in the database with its meeting; none seen refused is."""
    import psycopg

    ids = [w[0] for w in writes]
    counts = {"succeeded": 0, "refused": 0, "rejected": 0, "unknown": 0, "lost": 0}
    if not ids:
        return counts
    with psycopg.connect(database_url) as conn:
        found = {row[0]: row[1:] for row in conn.execute(VERIFY_SQL, [ids])}
    for review, status, meeting in writes:
        state, meeting_id = found.get(review, (None, None))
        if status == 200:
            counts["succeeded"] += 1
            counts["lost"] += not (state in ("booked", "held") and meeting_id == meeting)
        elif status in (503, 400):
            counts["refused" if status == 503 else "rejected"] += 1
            counts["lost"] += state != "due" or meeting_id is not None  # half-saved
        else:
            counts["unknown"] += 1  # timed out or failed: the tool cannot tell
    return counts


def build_data(env: dict, scale: str, fresh: bool) -> None:
    """The data set at `scale`, generated once a day into a template database, copied per run."""

    def psql(sql: str) -> str:
        return subprocess.run(
            ["psql", env["ADMIN_URL"], "-Atqc", sql], capture_output=True, text=True, check=True
        ).stdout.strip()

    base, today = f"iro_open_base_{scale}", date.today().isoformat()
    built_on = psql(
        f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{base}'"
    )
    if built_on != today or fresh:
        psql(f"DROP DATABASE IF EXISTS {base}")
        psql(f"CREATE DATABASE {base}")
        started = time.perf_counter()
        base_env = {**env, "DATABASE_URL": env["ADMIN_URL"].rsplit("/", 1)[0] + "/" + base}
        load.manage(base_env, "migrate", "--verbosity=0")
        load.manage(base_env, "generate_data", "--scale", scale, "--seed", "1")
        psql(f"COMMENT ON DATABASE {base} IS '{today}'")
        load.log(f"built {scale} data in {time.perf_counter() - started:.0f} s")
    psql("DROP DATABASE IF EXISTS iro_open")
    psql(f"CREATE DATABASE iro_open TEMPLATE {base}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="la", choices=("small", "la", "national"))
    parser.add_argument("--rates", default="5,10,20,40,60,80,100")
    parser.add_argument("--step-seconds", type=float, default=30)
    parser.add_argument("--surge", action="store_true", help="twice the knee after the steps")
    parser.add_argument("--surge-seconds", type=float, default=120)
    parser.add_argument("--sessions", type=int, default=3, help="signed-in people per role")
    parser.add_argument("--fresh", action="store_true", help="rebuild the data set")
    args = parser.parse_args()
    rates = [float(r) for r in args.rates.split(",")]

    pg, redis = load.Postgres(load.free_port()), load.Redis(load.free_port())
    web_port = load.free_port()
    pg.init()
    pg.stop("immediate")
    pg.start()
    redis.start()
    gunicorn = None
    try:
        env = load.service_env(pg.url("iro_open"), redis.url())
        env.update(
            {
                "ADMIN_URL": pg.url(),
                "DJANGO_SETTINGS_MODULE": "config.settings.production",
                "SECRET_KEY": "open-loop-benchmark-secret-key-0123456789abcdef",
                "SECURE_SSL_REDIRECT": "false",
                "GUNICORN_BIND": f"{HOST}:{web_port}",
                "GUNICORN_ACCESSLOG": "",
                "GUNICORN_MAX_REQUESTS": "0",  # keep each worker's CPU count whole
                "PROXY_COUNT": "0",
            }
        )
        build_data(env, args.scale, args.fresh)
        load.manage(env, "migrate", "--verbosity=0")
        if not (ROOT / "staticfiles" / "staticfiles.json").exists():
            load.manage(env, "collectstatic", "--noinput", "--verbosity=0")
        prepared = json.loads(
            load.manage(env, "shell", "-c", load.PREPARE).strip().splitlines()[-1]
        )
        gunicorn = subprocess.Popen(
            [str(load.VENV_BIN / "gunicorn"), "--config", "config/gunicorn.conf.py",
             "config.wsgi:application"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(load.DATA / "gunicorn-open.log", "w"),  # noqa: SIM115
        )  # fmt: skip
        host = f"http://{HOST}:{web_port}"
        load.wait_until_serving(host, 3)
        postmaster = int((pg.dir / "postmaster.pid").read_text().split()[0])
        load.log(f"gunicorn (config/gunicorn.conf.py, production settings) on {host}")

        sessions: dict[str, list[Session]] = {}
        for role, staff in prepared["staff"].items():
            sessions[role] = []
            for username, user_id in staff[: args.sessions]:
                session = Session(web_port, username, user_id)
                session.sign_in(load.PASSWORD)
                sessions[role].append(session)
        for session in sessions["iro"]:
            session.children = [c["id"] for c in session.api("/api/children/").get("results", [])]
            session.due = [
                r["id"] for r in session.api("/api/reviews/?status=due").get("results", [])
            ]
        load.log(
            f"signed in {sum(len(v) for v in sessions.values())} people; "
            f"{sum(len(s.due) for s in sessions['iro'])} due reviews to book"
        )
        run = Run(sessions)
        gunicorn_pid = gunicorn.pid

        def step(rate: float, seconds: float) -> tuple[dict, list]:
            first_row, first_write = len(run.rows), len(run.writes)
            web0, pg0 = server_cpu(gunicorn_pid, postmaster)
            run.arrive(rate, seconds)
            web1, pg1 = server_cpu(gunicorn_pid, postmaster)
            rows = run.rows[first_row:]
            figures = summarise(rows)
            answered = max(1, sum(1 for r in rows if r[2] and r[2] != 503))
            figures["cpu_web"] = (web1 - web0) * 1000 / answered
            figures["cpu_pg"] = (pg1 - pg0) * 1000 / answered
            figures["writes"] = check_writes(pg.url("iro_open"), run.writes[first_write:])
            return figures, rows

        headers = ("req/s", "n", "p50 ms", "p95 ms", "p99 ms", "errors", "503", "503 p95 ms", "CPU/req web ms",
                   "CPU/req PostgreSQL ms", "writes ok/refused/lost", "load average")  # fmt: skip
        table_rows, knee, passes, steps = [], None, None, []
        for rate in rates:
            figures, step_rows = step(rate, args.step_seconds)
            steps.append((rate, step_rows))
            w = figures["writes"]
            table_rows.append((f"{rate:g}", figures["n"], f"{figures['p50']:.0f}",
                               f"{figures['p95']:.0f}", f"{figures['p99']:.0f}", figures["errors"],
                               figures["503"], f"{figures['refused_p95']:.0f}", f"{figures['cpu_web']:.1f}", f"{figures['cpu_pg']:.1f}",
                               f"{w['succeeded']}/{w['refused'] + w['rejected']}/{w['lost']}", load_average()))  # fmt: skip
            load.log(
                f"{rate:g} req/s: p95 {figures['p95']:.0f} ms, {figures['errors']} errors, {figures['503']} 503"
            )
            if figures["p95"] < KNEE_P95_MS and figures["errors"] == 0:
                knee = rate
            elif passes is None:
                passes = rate
            if figures["p95"] > 5 * KNEE_P95_MS:
                break  # well past the knee: the next steps would only queue
        print(
            f"\nEach role's requests (Poisson arrivals; {args.sessions} signed-in people per role)"
        )
        print(mix_table())
        print(
            f"\nOpen loop, {args.scale} data, {args.step_seconds:g} s a step, gunicorn as the Dockerfile runs it"
        )
        print(load.table(headers, table_rows))
        print("\np95 by role")
        print(role_p95_table(steps))
        crossing = (
            f"p95 passes {KNEE_P95_MS} ms (or errors begin) at {passes:g} req/s"
            if passes is not None
            else f"p95 stays under {KNEE_P95_MS} ms with no errors up to {rates[-1]:g} req/s, the highest rate measured"
        )
        print(
            f"\nKnee: {f'{knee:g} req/s' if knee else 'none'} (highest rate with p95 under {KNEE_P95_MS} ms and no errors); {crossing}"
        )
        print(f"load average at the end: {load_average()} on {os.cpu_count()} cores")

        if args.surge and knee:
            surge_rate = 2 * knee
            start_row, start_write = len(run.rows), len(run.writes)
            run.arrive(surge_rate, args.surge_seconds)
            surge_end_due = max(r[0] for r in run.rows[start_row:])
            surge = summarise(run.rows[start_row:])
            writes = check_writes(pg.url("iro_open"), run.writes[start_write:])
            after_row = len(run.rows)
            run.arrive(knee, 30)
            after = sorted(run.rows[after_row:])
            recovered = None
            for i in range(len(after)):
                window = [r[3] for r in after[i:] if r[2] and r[2] < 500 and r[0] < after[i][0] + 5]
                if window and percentile(window, 95) < KNEE_P95_MS:
                    recovered = after[i][0] - surge_end_due
                    break
            print(f"\nSurge: {surge_rate:g} req/s (twice the knee) for {args.surge_seconds:g} s")
            print(load.table(("figure", "value"), [
                ("requests", surge["n"]),
                ("served p95", f"{surge['p95']:.0f} ms"),
                ("refused (503)", surge["503"]),
                ("refused answered under 50 ms with Retry-After", surge["refused_fast"]),
                ("refused: p95 of the time to the 503", f"{surge['refused_p95']:.0f} ms"),
                ("errors (timeouts, failed connections, 5xx but 503)", surge["errors"]),
                ("longest wait", f"{surge['max']:.0f} ms"),
                ("writes seen succeed / refused / rejected / unknown", f"{writes['succeeded']} / {writes['refused']} / {writes['rejected']} / {writes['unknown']}"),
                ("writes lost (succeeded but absent, or refused but saved)", writes["lost"]),
                ("p95 back under 300 ms (5 s window) after the surge", f"{recovered:.1f} s" if recovered is not None else "not within 30 s"),
            ]))  # fmt: skip
    finally:
        if gunicorn:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=40)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        redis.shutdown()
        pg.stop("fast")


if __name__ == "__main__":
    main()
