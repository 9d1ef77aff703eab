"""SSDA903 round trip at `la` scale: every figure before and after, for two collection years.

    .venv/bin/python bench/returns_round_trip.py [--scale la] [--seed 1] [--fresh]

The data set is generated once into its own database (`iro_roundtrip_<scale>_source`, as at
30 June 2026, kept for later runs; `--fresh` generates it again). The two complete collection
years before that date (2024/25 and 2025/26) are exported as SSDA903 files, imported into a copy
of the database emptied of case records (staff, postcodes, population and settings stay), and
every registered figure is computed for both years on the data as generated ("before") and as
imported ("after"). The table lists each figure whose value or breakdown differs, and the
imported reviews the timeliness figures could not place (REV-03, REV-04). The full results are
written to .data/bench/returns-round-trip-<scale>.json.

Each step runs in its own Python process (this file with a step name), with the clock frozen at
the data set's date. Runs on the server DATABASE_URL points at, or on the embedded one.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.steps import copy_database, django_for, drop_database, run_step, step_empty  # noqa: E402

OUT = ROOT / ".data" / "bench"
TODAY = date(2026, 6, 30)
YEARS = (2024, 2025)


def _frozen():
    import time_machine

    return time_machine.travel(TODAY, tick=False)


def step_generate(database: str, scale: str, seed: str, fresh: str) -> dict:
    django_for(database)
    from io import StringIO

    from django.core.management import call_command

    from iro.models import Child

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if fresh == "1" or not Child.objects.exists():
        call_command(
            "generate_data", scale=scale, seed=int(seed), today=TODAY, flush=True, stdout=StringIO()
        )
    return {"children": Child.objects.count(), "seconds": round(time.perf_counter() - started)}


def step_figures(database: str) -> dict:
    django_for(database)
    from reporting.figures import Period, compute_many
    from reporting.figures.base import REGISTRY

    with _frozen():
        return {
            str(year): {
                fid: entry["result"].as_dict()
                for fid, entry in compute_many(sorted(REGISTRY), Period.year(year)).items()
            }
            for year in YEARS
        }


def step_export(database: str, folder: str) -> dict:
    django_for(database)
    from reporting.returns.ssda903 import CollectionYear, export_files

    rows = 0
    with _frozen():
        for year in YEARS:
            target = Path(folder) / str(year)
            target.mkdir(parents=True, exist_ok=True)
            for name, text in export_files(CollectionYear(year)).items():
                (target / name).write_text(text, encoding="utf-8")
                rows += text.count("\n") - 1
    return {"rows": rows}


def step_import(database: str, folder: str) -> dict:
    django_for(database)
    from reporting.returns.importer import import_years, read_folder
    from reviews.models import Review, ReviewSequence

    started = time.perf_counter()
    with _frozen():
        result = import_years([read_folder(Path(folder) / str(y)) for y in YEARS])
    return {
        "ok": result.ok,
        "seconds": round(time.perf_counter() - started),
        "refusals": [r.as_dict() for r in result.refusals[:5]],
        "counts": result.counts,
        "not placed": Review.objects.filter(sequence=ReviewSequence.NOT_KNOWN).count(),
    }


def _value(result: dict):
    return result.get("value")


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
            "generate": step_generate,
            "figures": step_figures,
            "export": step_export,
            "empty": step_empty,
            "import": step_import,
        }
        print(json.dumps(steps[name](*rest), default=str))
        return

    source = f"iro_roundtrip_{args.scale}_source"
    scratch = f"iro_roundtrip_{args.scale}_scratch"
    me = __file__
    generated = run_step(
        me, "generate", source, args.scale, str(args.seed), "1" if args.fresh else "0"
    )
    print(f"{args.scale} data: {generated['children']:,} children ({generated['seconds']} s)")
    before = run_step(me, "figures", source)
    folder = OUT / f"returns-round-trip-{args.scale}"
    exported = run_step(me, "export", source, str(folder))
    print(f"returns {YEARS[0]} and {YEARS[1]}: {exported['rows']:,} rows")
    copy_database(source, scratch)
    try:
        run_step(me, "empty", scratch)
        imported = run_step(me, "import", scratch, str(folder))
        if not imported["ok"]:
            raise SystemExit(f"import refused: {imported['refusals']}")
        print(
            f"imported in {imported['seconds']} s: {json.dumps(imported['counts'])}; reviews not"
            f" placed in their period of care: {imported['not placed']}"
        )
        after = run_step(me, "figures", scratch)
    finally:
        drop_database(scratch)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"returns-round-trip-{args.scale}.json").write_text(
        json.dumps({"before": before, "after": after, "import": imported}, indent=1, default=str)
    )
    print(f"{'figure':8} {'year':5} {'before':>10} {'after':>10}  differs in")
    for fid in sorted(before[str(YEARS[0])]):
        for year in map(str, YEARS):
            b, a = before[year][fid], after[year][fid]
            if b == a:
                continue
            parts = [k for k in sorted(set(b) | set(a)) if b.get(k) != a.get(k)]
            print(f"{fid:8} {year:5} {_value(b)!s:>10} {_value(a)!s:>10}  {', '.join(parts)}")
    for fid in ("REV-03", "REV-04", "REV-12", "REV-13", "REV-14"):
        for year in map(str, YEARS):
            print(
                f"{fid} {year}: before {before[year][fid].get('breakdown')}\n"
                f"{' ' * len(fid)} {year}: after  {after[year][fid].get('breakdown')}"
            )


if __name__ == "__main__":
    main()
