"""SSD benchmark: a full bootstrap from a Standard Safeguarding Dataset extract, and a nightly run
with 1% of rows changed, with times and peak memory. One command, prints one table:

    .venv/bin/python bench/ssd.py [--scale la] [--seed 1] [--fresh]

1. The data set is generated once into its own database (`iro_bench_ssd_<scale>`, kept for later
   runs; `--fresh` regenerates it) and exported as an SSD extract (`export_ssd`).
2. Bootstrap: a copy of that database emptied of case records (children and everything that hangs
   off them; staff, postcodes and settings stay) imports the extract, as a new service would on
   its first day, in a fresh process so that its peak memory is the run's own.
3. Nightly: 1% of the people (forename) and 1% of the held reviews (PN code) are changed in the
   extract, and the extract is imported again into the bootstrapped copy.

Each step runs in its own Python process (this file with a step name). Runs on the server
DATABASE_URL points at, or on the embedded one.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / ".data" / "bench"
ROLES = {"IRO": "cla", "CPCHAIR": "cp"}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _django(database: str) -> None:
    from bench.run import _bench_database_url

    os.environ["DATABASE_URL"] = _bench_database_url(database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")


def step_generate(database: str, scale: str, seed: int, fresh: bool) -> dict:
    _django(database)
    from django.core.management import call_command

    from iro.models import Child

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if fresh or not Child.objects.exists():
        call_command("flush", interactive=False, verbosity=0)
        call_command("generate_data", scale=scale, seed=seed, stdout=io.StringIO())
    return {"children": Child.objects.count(), "seconds": round(time.perf_counter() - started)}


def step_export(database: str, folder: str) -> dict:
    _django(database)
    from ssd.exporter import export_extract

    started = time.perf_counter()
    counts = export_extract(folder)
    return {
        "rows": sum(counts.values()),
        "seconds": round(time.perf_counter() - started, 1),
        "peak_mb": round(_peak_mb(), 1),
    }


def step_empty(database: str) -> dict:
    _django(database)
    from django.db import connection

    from iro.models import Child

    with connection.cursor() as cursor:
        cursor.execute(f'TRUNCATE "{Child._meta.db_table}" CASCADE')
    return {"children": Child.objects.count()}


def step_import(database: str, folder: str) -> dict:
    _django(database)
    from ssd.sync import run_sync

    before = _peak_mb()
    started = time.perf_counter()
    cpu = time.process_time()
    run = run_sync(folder, roles=ROLES)
    counts = {
        k: sum(c.get(k, 0) for c in run.counts.values())
        for k in ("add", "change", "close", "reject", "unchanged")
    }
    return {
        "status": run.status,
        "seconds": round(time.perf_counter() - started, 1),
        "cpu_seconds": round(time.process_time() - cpu, 1),
        "peak_before_mb": round(before, 1),
        "peak_after_mb": round(_peak_mb(), 1),
        "counts": counts,
        "rejected": run.rejected[:3],
    }


def change_one_percent(folder: Path) -> int:
    changed = 0
    for name, column, swap in (
        ("ssd_person.csv", "pers_forename", None),
        ("ssd_cla_reviews.csv", "clar_cla_review_participation", {"PN1": "PN2", "PN2": "PN1"}),
    ):
        path = folder / name
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        candidates = [r for r in rows if swap is None or r[column] in swap]
        for row in candidates[::100]:
            row[column] = f"{row[column]}x" if swap is None else swap[row[column]]
            changed += 1
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\r\n")
            writer.writeheader()
            writer.writerows(rows)
    return changed


def _run_step(*args: str) -> dict:
    done = subprocess.run(  # noqa: S603 (this file, with fixed step names)
        [sys.executable, __file__, "--step", *args], capture_output=True, text=True, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"step {args[0]} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return json.loads(lines[-1])


def _copy_database(source: str, target: str) -> None:
    import psycopg

    from bench.run import _bench_database_url

    parts = urlsplit(_bench_database_url(source))
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="la", choices=["small", "la", "national"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        name, *rest = args.step
        steps = {
            "generate": lambda db, scale, seed, fresh: step_generate(
                db, scale, int(seed), fresh == "1"
            ),
            "export": step_export,
            "empty": step_empty,
            "import": step_import,
        }
        print(json.dumps(steps[name](*rest)))
        return
    source = f"iro_bench_ssd_{args.scale}"
    scratch = f"{source}_scratch"
    folder = OUT / f"ssd_{args.scale}"
    generated = _run_step(
        "generate", source, args.scale, str(args.seed), "1" if args.fresh else "0"
    )
    print(
        f"{args.scale} data: {generated['children']:,} children ({generated['seconds']} s to generate)"
    )
    exported = _run_step("export", source, str(folder))
    print(
        f"export_ssd: {exported['rows']:,} rows in {exported['seconds']} s, peak {exported['peak_mb']} MB"
    )
    _copy_database(source, scratch)
    _run_step("empty", scratch)
    boot = _run_step("import", scratch, str(folder))
    changed = change_one_percent(folder)
    nightly = _run_step("import", scratch, str(folder))
    print(
        "| run | status | seconds | Python CPU s | peak memory (MB) | add | change | close | "
        "reject | unchanged |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, r in (("bootstrap", boot), (f"nightly ({changed:,} rows changed)", nightly)):
        c = r["counts"]
        print(
            f"| {label} | {r['status']} | {r['seconds']} | {r['cpu_seconds']} | {r['peak_after_mb']} | {c['add']:,} | "
            f"{c['change']:,} | {c['close']:,} | {c['reject']:,} | {c['unchanged']:,} |"
        )
        if r["rejected"]:
            print(f"  first rejected: {r['rejected']}")


if __name__ == "__main__":
    main()
