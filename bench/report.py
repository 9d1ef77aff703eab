"""Annual report benchmark at a given data scale: one command, prints two tables.

    .venv/bin/python bench/report.py [--scale la] [--seed 1] [--year 2024] [--fresh]

1. The whole annual report computed uncached: every registered figure, section by section
   (``figures_in(section)``), for the year and the year before, with ``compute_many`` inside one
   shared run (as the report page and exports compute it). For each section: its time, the time
   of one sequential scan of every table its queries read (``SELECT count(*)`` of each table,
   best of three, warm cache: the floor no computation over those tables can beat), and the
   ratio. Budget: the whole report under 1 s at `la` scale, 15 s at `national`.
2. Every figure of one uncached run, costliest first: its queries, the rows they returned, its
   time, its CPU time (this process and its database backend, which a busy machine does not
   inflate) and its share of the whole run (``--figures N`` lists only the first N).
3. A handful of the same figures (children looked after on 31 March, by age band and by legal
   status; reviews held in the year, in timescale, by participation code) computed with pandas
   over CSV dumps of the same tables (``COPY ... TO STDOUT CSV``), as an analyst would: reading
   the CSVs and computing, against the service computing them. Both give the same numbers
   (checked and printed), with the CPU time of each side beside the wall time.

``--save-values FILE`` writes every figure's values for the year and the year before;
``--check-values FILE`` compares a run with such a file (``--values-only`` does only that), so a
change made for speed can be shown to change no figure.

Uses its own database (`iro_bench_<scale>`, as `bench/run.py`; set BENCH_DATABASE to choose
another name) on the server DATABASE_URL points at, or on the embedded server without it. The
data is generated once per scale and kept for later runs (`--fresh` regenerates it).
"""

import argparse
import io
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import _bench_database_url  # noqa: E402

BUDGET_S = {"small": 1.0, "la": 1.0, "national": 15.0}
TABLE = re.compile(r'(?:FROM|JOIN)\s+"?([a-z_]+_[a-z_]+)"?', re.IGNORECASE)


def _setup(scale: str, seed: int, fresh: bool) -> None:
    name = os.environ.get("BENCH_DATABASE") or f"iro_bench_{scale}"
    os.environ["DATABASE_URL"] = _bench_database_url(name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    from iro.models import Child

    call_command("migrate", verbosity=0)
    if fresh or not Child.objects.exists():
        call_command("flush", interactive=False, verbosity=0)
        started = time.perf_counter()
        call_command("generate_data", scale=scale, seed=seed)
        print(f"generated {scale} data in {time.perf_counter() - started:.1f} s\n")


def _backend_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend, when the server runs on
    this machine (read from /proc); None otherwise."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu() -> float | None:
    server = _backend_cpu()
    return None if server is None else server + time.process_time()


def _tables_read(sql_list: list[str]) -> set[str]:
    from django.db import connection

    known = set(connection.introspection.table_names())
    return {t for sql in sql_list for t in TABLE.findall(sql) if t in known}


def _scan_seconds(table: str) -> float:
    from django.db import connection

    best = None
    with connection.cursor() as cursor:
        for _ in range(3):
            started = time.perf_counter()
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            cursor.fetchone()
            elapsed = time.perf_counter() - started
            best = elapsed if best is None else min(best, elapsed)
    return best


def report_table(year: int, scale: str) -> float:
    from django.db import connection

    from reporting.figures import SECTIONS, Period, compute_many, computing, figures_in

    period = Period.year(year)
    rows, all_tables, total = [], set(), 0.0
    all_ids = [f.id for section in SECTIONS for f in figures_in(section)]
    # Warm the cache (and the connection) the way a second request would find it.
    compute_many(all_ids, period)
    # Section by section on this one connection, to see where the time goes.
    with computing():
        for section, title in SECTIONS.items():
            ids = [f.id for f in figures_in(section)]
            if not ids:
                continue
            statements: list[str] = []

            def record(execute, sql, params, many, context, statements=statements):
                statements.append(sql)
                return execute(sql, params, many, context)

            cpu_before = _cpu()
            with connection.execute_wrapper(record):
                started = time.perf_counter()
                compute_many(ids, period, workers=1)
                elapsed = time.perf_counter() - started
            cpu_after = _cpu()
            cpu = cpu_after - cpu_before if cpu_before is not None else None
            tables = _tables_read(statements)
            all_tables |= tables
            floor = sum(_scan_seconds(t) for t in tables)
            total += elapsed
            rows.append((title, len(ids), len(statements), elapsed, floor, tables, cpu))
    whole_floor = sum(_scan_seconds(t) for t in all_tables)
    # The whole report as the page, the exports and `annual_report` compute it: one run of every
    # figure, the year and the year before side by side (REPORT_WORKERS connections, one
    # snapshot). Median of three uncached runs.
    from django.conf import settings

    runs = []
    for _ in range(3):
        started = time.perf_counter()
        compute_many(all_ids, period)
        runs.append(time.perf_counter() - started)
    whole = statistics.median(runs)
    budget = BUDGET_S[scale]
    print(f"Annual report {period.title} and {period.previous().title}, uncached, scale '{scale}'")
    header = (
        f"{'section':<34} {'figures':>7} {'queries':>7} {'ms':>8} {'floor ms':>9} {'ratio':>6} "
        f"{'cpu ms':>7}"
    )
    print(header)
    print("-" * len(header))
    for title, n, queries, elapsed, floor, _tables, cpu in rows:
        ratio = f"{elapsed / floor:.1f}" if floor else "-"
        cpu_ms = f"{cpu * 1000:.0f}" if cpu is not None else "-"
        print(
            f"{title:<34} {n:>7} {queries:>7} {elapsed * 1000:>8.0f} {floor * 1000:>9.1f} "
            f"{ratio:>6} {cpu_ms:>7}"
        )
    print("-" * len(header))
    figures = sum(r[1] for r in rows)
    queries = sum(r[2] for r in rows)
    ratio = total / whole_floor if whole_floor else float("nan")
    cpus = [r[6] for r in rows]
    cpu_total = f"{sum(cpus) * 1000:.0f}" if None not in cpus else "-"
    print(
        f"{'sections, one after another':<34} {figures:>7} {queries:>7} {total * 1000:>8.0f} "
        f"{whole_floor * 1000:>9.1f} {ratio:>6.1f} {cpu_total:>7}"
    )
    print("-" * len(header))
    workers = settings.REPORT_WORKERS
    print(
        f"{'whole report, as the page runs it':<34} {figures:>7} {queries:>7} {whole * 1000:>8.0f} "
        f"{whole_floor * 1000:>9.1f} {whole / whole_floor:>6.1f} {'':>7}"
    )
    print(
        f"  (median of 3 uncached runs: {', '.join(f'{r * 1000:.0f}' for r in runs)} ms; "
        f"{workers} connection{'s' if workers > 1 else ''}, the year and the year before side by "
        "side)"
    )
    verdict = "within" if whole <= budget else "OVER"
    print(f"budget {budget:.0f} s: {verdict} ({whole:.3f} s)")
    print("A section with no queries reads base sets an earlier section already computed.")
    print(
        "cpu ms: CPU time of this process and its database backend (when the server is local):"
        " the wall time on an idle machine; ms above it is time spent waiting for a CPU."
    )
    print("floor: one sequential scan (SELECT count(*)) of each table the section reads:")
    for title, *_rest, tables, _cpu_s in rows:
        print(f"  {title}: {', '.join(sorted(tables))}")
    return whole


def figures_table(year: int, top: int | None = None) -> None:
    """Every figure of one uncached report run, costliest first: its queries, the rows they
    returned, its time, its CPU time (this process and its database backend) and its share of
    the whole run's CPU time (of the time when the server is not local). In report order within
    one shared run, so a `@shared` base set is charged to the first figure that reads it."""
    from django.db import connection

    from reporting.figures import SECTIONS, Period, computing, figures_in

    period = Period.year(year)
    timings = []
    with computing():
        for section in SECTIONS:
            for fig in figures_in(section):
                counts = {"queries": 0, "rows": 0}

                def record(execute, sql, params, many, context, counts=counts):
                    result = execute(sql, params, many, context)
                    counts["queries"] += 1
                    counts["rows"] += max(context["cursor"].rowcount, 0)
                    return result

                cpu_before = _cpu()
                with connection.execute_wrapper(record):
                    started = time.perf_counter()
                    fig.compute(period)
                    fig.compute(period.previous())
                    elapsed = time.perf_counter() - started
                cpu_after = _cpu()
                cpu = cpu_after - cpu_before if cpu_before is not None else None
                timings.append((cpu or elapsed, elapsed, cpu, counts, fig.id, section))
    timings.sort(key=lambda t: t[0], reverse=True)
    total_cost = sum(t[0] for t in timings) or 1.0
    total_ms = sum(t[1] for t in timings)
    shown = timings if top is None else timings[:top]
    print()
    print(
        f"Per figure, {period.title} and {period.previous().title}, one shared run, uncached "
        f"(load average {_load()})"
    )
    header = (
        f"{'figure':<8} {'section':<17} {'queries':>7} {'rows':>6} {'ms':>7} {'cpu ms':>7} "
        f"{'share':>6}"
    )
    print(header)
    print("-" * len(header))
    for cost, elapsed, cpu, counts, fid, section in shown:
        cpu_ms = f"{cpu * 1000:.0f}" if cpu is not None else "-"
        print(
            f"{fid:<8} {section[:17]:<17} {counts['queries']:>7} {counts['rows']:>6} "
            f"{elapsed * 1000:>7.1f} {cpu_ms:>7} {100 * cost / total_cost:>5.1f}%"
        )
    rest = timings[len(shown) :]
    if rest:
        print(
            f"{'the other ' + str(len(rest)):<26} {sum(t[3]['queries'] for t in rest):>7} "
            f"{sum(t[3]['rows'] for t in rest):>6} {sum(t[1] for t in rest) * 1000:>7.1f}"
        )
    print("-" * len(header))
    cpus = [t[2] for t in timings]
    cpu_total = f"{sum(cpus) * 1000:.0f}" if None not in cpus else "-"
    print(
        f"{'all ' + str(len(timings)):<26} {sum(t[3]['queries'] for t in timings):>7} "
        f"{sum(t[3]['rows'] for t in timings):>6} {total_ms * 1000:>7.1f} {cpu_total:>7} "
        f"{100.0:>5.1f}%"
    )
    print(
        "share: of the run's CPU time (this process and its database backend), which a busy "
        "machine does not inflate as it does the wall time (ms)."
    )


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


# --- pandas over CSV dumps ----------------------------------------------------------------------

DUMPS = {
    "iro_child": "SELECT id, date_of_birth FROM iro_child",
    "iro_careepisode": (
        'SELECT id, child_id, start, "end", legal_status, reason_new_episode FROM iro_careepisode'
    ),
    "reviews_review": "SELECT id, child_id, status, due_date, held_on, participation "
    "FROM reviews_review",
}


def _dump_csv() -> dict[str, bytes]:
    from django.db import connection

    out = {}
    with connection.cursor() as cursor:
        raw = cursor.connection  # psycopg 3
        for name, select in DUMPS.items():
            buffer = io.BytesIO()
            with raw.cursor().copy(f"COPY ({select}) TO STDOUT WITH CSV HEADER") as copy:
                for data in copy:
                    buffer.write(data)
            out[name] = buffer.getvalue()
    return out


def _pandas_figures(dumps: dict[str, bytes], year: int) -> dict:
    import pandas as pd

    start, end = pd.Timestamp(year, 4, 1), pd.Timestamp(year + 1, 3, 31)
    children = pd.read_csv(io.BytesIO(dumps["iro_child"]), parse_dates=["date_of_birth"])
    episodes = pd.read_csv(io.BytesIO(dumps["iro_careepisode"]), parse_dates=["start", "end"])
    reviews = pd.read_csv(io.BytesIO(dumps["reviews_review"]), parse_dates=["due_date", "held_on"])
    open_on = episodes[
        (episodes["start"] <= end)
        & (episodes["end"].isna() | (episodes["end"] > end))
        & ~episodes["legal_status"].isin(["V3", "V4"])
    ]
    in_care = open_on.merge(children, left_on="child_id", right_on="id", suffixes=("", "_c"))
    dob = in_care["date_of_birth"]
    age = end.year - dob.dt.year - ((dob.dt.month > end.month) | (
        (dob.dt.month == end.month) & (dob.dt.day > end.day)
    )).astype(int)  # fmt: skip
    bands = pd.cut(age, [-1, 0, 4, 9, 15, 200], labels=["under 1", "1-4", "5-9", "10-15", "16+"])
    held = reviews[
        (reviews["status"] == "held") & (reviews["held_on"] >= start) & (reviews["held_on"] <= end)
    ]
    # REV-03's denominator: reviews held in the year and reviews missed whose due date is in it.
    missed = reviews[
        (reviews["status"] == "missed")
        & (reviews["due_date"] >= start)
        & (reviews["due_date"] <= end)
    ]
    on_time = int((held["held_on"] <= held["due_date"]).sum())
    timely_base = len(held) + len(missed)
    return {
        "CLA-01": int(len(in_care)),
        "CLA-09": {k: int(v) for k, v in bands.value_counts().sort_index().items()},
        "PLC-01": {k: int(v) for k, v in in_care["legal_status"].value_counts().items()},
        "REV-01": int(len(held)),
        "REV-03": round(100 * on_time / timely_base, 1) if timely_base else None,
        "REV-05": {k: int(v) for k, v in held["participation"].value_counts().items()},
    }


def _service_figures(year: int) -> dict:
    from reporting.figures import REGISTRY, Period, compute_many

    ids = [i for i in ["CLA-01", "CLA-09", "PLC-01", "REV-01", "REV-03", "REV-05"] if i in REGISTRY]
    results = compute_many(ids, Period.year(year), previous=False)
    out = {}
    for fid, entry in results.items():
        result = entry["result"]
        out[fid] = result.breakdown if fid in ("CLA-09", "PLC-01", "REV-05") else result.value
    return out


def pandas_table(year: int) -> None:
    import pandas  # noqa: F401  (fail early with a clear message if the dev group is missing)

    started = time.perf_counter()
    dumps = _dump_csv()
    dump_s = time.perf_counter() - started
    timings_pd, timings_sv, cpu_pd, cpu_sv = [], [], [], []
    for _ in range(3):
        started, cpu_started = time.perf_counter(), time.process_time()
        pd_values = _pandas_figures(dumps, year)
        timings_pd.append(time.perf_counter() - started)
        cpu_pd.append(time.process_time() - cpu_started)
        cpu_before = _cpu()
        started = time.perf_counter()
        sv_values = _service_figures(year)
        timings_sv.append(time.perf_counter() - started)
        cpu_after = _cpu()
        if cpu_before is not None:
            cpu_sv.append(cpu_after - cpu_before)
    size = sum(len(d) for d in dumps.values()) / 1e6
    print()
    print(
        f"Six figures for {year}/{str(year + 1)[2:]}: pandas over CSV dumps "
        f"({size:.1f} MB, dumped in {dump_s * 1000:.0f} ms) against the service"
    )
    header = f"{'figure':<8} {'pandas':<44} {'service':<44} {'same':<4}"
    print(header)
    print("-" * len(header))
    for fid, value in pd_values.items():
        service = sv_values.get(fid, "(not registered)")
        same = _same(value, service)
        print(f"{fid:<8} {_short(value):<44} {_short(service):<44} {same:<4}")
    print("-" * len(header))
    pd_ms, sv_ms = statistics.median(timings_pd) * 1000, statistics.median(timings_sv) * 1000
    analyst_ms = dump_s * 1000 + pd_ms
    print(f"{'':<8} {'pandas':>10} {'service':>10}")
    print(f"{'dump':<8} {dump_s * 1000:>10.0f} {'-':>10}")
    print(f"{'compute':<8} {pd_ms:>10.0f} {sv_ms:>10.0f}   (median of 3; pandas: read the CSVs and "
          "compute; service: uncached)")  # fmt: skip
    print(f"{'total':<8} {analyst_ms:>10.0f} {sv_ms:>10.0f}   "
          f"{'service faster' if sv_ms < analyst_ms else 'SERVICE SLOWER'} "
          f"({analyst_ms / sv_ms:.1f}x)")  # fmt: skip
    if cpu_sv:
        pd_cpu, sv_cpu = statistics.median(cpu_pd) * 1000, statistics.median(cpu_sv) * 1000
        print(f"{'cpu':<8} {pd_cpu:>10.0f} {sv_cpu:>10.0f}   compute only, CPU time (pandas: this "
              "process; service: this process and its database backend); "
              f"{'service faster' if sv_cpu < pd_cpu else 'SERVICE SLOWER'} "
              f"({pd_cpu / sv_cpu:.1f}x)")  # fmt: skip
    print(f"load average {_load()}")


def _same(a, b) -> str:
    if isinstance(b, str):
        return "-"
    if isinstance(a, dict) and isinstance(b, dict):
        return (
            "yes"
            if {k: v for k, v in a.items() if v} == {k: v for k, v in b.items() if v}
            else "NO"
        )
    return "yes" if a == b else "NO"


def _short(value) -> str:
    text = str(value)
    return text if len(text) <= 44 else text[:41] + "..."


# --- Figure values kept and compared across changes ----------------------------------------------


def figure_values(year: int) -> dict:
    """Every registered figure's result (as JSON-able data) for the year and the year before."""
    from reporting.figures import REGISTRY, Period, compute_many

    computed = compute_many(list(REGISTRY), Period.year(year))
    return {
        fid: {"current": entry["result"].as_dict(), "previous": entry["previous"].as_dict()}
        for fid, entry in computed.items()
    }


def save_or_check_values(year: int, save: str | None, check: str | None) -> bool:
    """--save-values writes every figure's values to a JSON file; --check-values compares this
    run's values with such a file and names every figure that differs. True when all agree."""
    import json

    values = json.loads(json.dumps(figure_values(year)))
    if save:
        Path(save).write_text(json.dumps(values, indent=1, sort_keys=True))
        print(f"saved {len(values)} figures' values for {year} and {year - 1} to {save}")
    if not check:
        return True
    kept = json.loads(Path(check).read_text())
    differ = sorted(f for f in set(kept) | set(values) if kept.get(f) != values.get(f))
    for fid in differ:
        print(f"  {fid}: kept {_short(str(kept.get(fid)))} now {_short(str(values.get(fid)))}")
    print(
        f"figure values against {check}: "
        + (f"{len(differ)} DIFFER" if differ else f"all {len(values)} identical")
    )
    return not differ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="la", choices=["small", "la", "national"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--year", type=int, default=None, help="reporting year (default: last)")
    parser.add_argument("--fresh", action="store_true", help="regenerate the data")
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas comparison")
    parser.add_argument(
        "--figures",
        type=int,
        default=None,
        metavar="N",
        help="list only the N costliest figures (default: every figure)",
    )
    parser.add_argument("--save-values", metavar="FILE", help="write every figure's values")
    parser.add_argument(
        "--check-values", metavar="FILE", help="compare every figure's values with a saved file"
    )
    parser.add_argument("--values-only", action="store_true", help="only save or check values")
    args = parser.parse_args()
    _setup(args.scale, args.seed, args.fresh)

    from django.utils import timezone

    from reporting.figures import Period

    year = args.year or Period.containing(timezone.localdate()).start.year - 1
    if args.save_values or args.check_values:
        same = save_or_check_values(year, args.save_values, args.check_values)
        if args.values_only:
            sys.exit(0 if same else 1)
    print(f"load average {_load()} on {os.cpu_count()} cores\n")
    report_table(year, args.scale)
    figures_table(year, args.figures)
    if not args.no_pandas:
        pandas_table(year)


if __name__ == "__main__":
    main()
