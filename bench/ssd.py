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
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.steps import copy_database, django_for, peak_mb, run_step, step_empty  # noqa: E402

OUT = ROOT / ".data" / "bench"
ROLES = {"IRO": "cla", "CPCHAIR": "cp"}


def step_generate(database: str, scale: str, seed: int, fresh: bool) -> dict:
    django_for(database)
    from django.core.management import call_command

    from iro.models import Child

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if fresh or not Child.objects.exists():
        call_command("flush", interactive=False, verbosity=0)
        call_command("generate_data", scale=scale, seed=seed, stdout=io.StringIO())
    return {"children": Child.objects.count(), "seconds": round(time.perf_counter() - started)}


def step_export(database: str, folder: str) -> dict:
    django_for(database)
    from ssd.exporter import export_extract

    started = time.perf_counter()
    counts = export_extract(folder)
    return {
        "rows": sum(counts.values()),
        "seconds": round(time.perf_counter() - started, 1),
        "peak_mb": round(peak_mb(), 1),
    }


def step_import(database: str, folder: str) -> dict:
    django_for(database)
    from ssd.sync import run_sync

    before = peak_mb()
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
        "peak_after_mb": round(peak_mb(), 1),
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
    generated = run_step(
        __file__, "generate", source, args.scale, str(args.seed), "1" if args.fresh else "0"
    )
    print(
        f"{args.scale} data: {generated['children']:,} children ({generated['seconds']} s to generate)"
    )
    exported = run_step(__file__, "export", source, str(folder))
    print(
        f"export_ssd: {exported['rows']:,} rows in {exported['seconds']} s, peak {exported['peak_mb']} MB"
    )
    copy_database(source, scratch)
    run_step(__file__, "empty", scratch)
    boot = run_step(__file__, "import", scratch, str(folder))
    changed = change_one_percent(folder)
    nightly = run_step(__file__, "import", scratch, str(folder))
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
