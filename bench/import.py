"""SSDA903 import benchmark: time and peak memory of importing a year at `la` scale, and a
hostile zip refused before memory grows. One command, prints one table:

    .venv/bin/python bench/import.py [--scale la] [--seed 1] [--year 2024] [--fresh]

1. Hostile zip: a zip of about 300 KB whose one CSV expands to 300 MB (a Header file padded
   with empty lines). It is read with the service's limits (settings RETURN_IMPORT_MAX_*);
   the line shows the refusal, the time it took and how much the process's peak resident memory
   grew (ru_maxrss) while it was refused.
2. A year at scale: the data set is generated once into its own database (`iro_bench_import_<scale>`,
   kept for later runs; `--fresh` regenerates it), the year's return is exported to a zip, and
   the zip is imported into a copy of that database emptied of case records (children, episodes,
   reviews and what hangs off them; staff, postcodes and settings stay), in a fresh process so
   that its peak memory is the import's own: read (streamed, checked) and applied, with the time
   and the peak resident memory of the process, before and after.

Each step runs in its own Python process (this file with a step name), so one step's memory
does not count in another's. Runs on the server DATABASE_URL points at, or on the embedded one.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.steps import copy_database, drop_database, peak_mb, run_step, step_empty  # noqa: E402

OUT = ROOT / ".data" / "bench"


def _django(database: str) -> None:
    from bench.run import _bench_database_url

    os.environ["DATABASE_URL"] = _bench_database_url(database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def hostile_zip(megabytes: int = 300, row: bytes = b"") -> bytes:
    """A zip whose Header file expands to `megabytes` MB, written a megabyte at a time: padded
    with empty lines (about 300 KB of zip for 300 MB), or with `row` repeated."""
    out = io.BytesIO()
    pad = row or b"\r\n"
    chunk = pad * (1024 * 1024 // len(pad))
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("2024/header.csv", "w", force_zip64=True) as member,
    ):
        member.write(b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\n")
        member.write(b"C0000001,F,01/02/2012,WBRI,UN5,0,\r\n")
        for _ in range(megabytes):
            member.write(chunk)
    return out.getvalue()


HOSTILE = {
    "300 MB of empty lines": lambda: hostile_zip(300),
    # Under the size limit: read as a stream, and refused on its first 1,000 repeated rows.
    "150 MB of one row repeated": lambda: hostile_zip(
        150, b"C0000001,F,01/02/2012,WBRI,UN5,0,\r\n"
    ),
}


def step_hostile() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from reporting.returns.importer import UploadRefused, read_upload

    out = {}
    for name, make in HOSTILE.items():
        data = make()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expands = sum(i.file_size for i in archive.infolist())
        before = peak_mb()
        started = time.perf_counter()
        try:
            years = read_upload(data, "hostile.zip")
            refusals = [r for y in years for r in y.refusals]
            outcome = (
                f"{len(refusals):,} rows refused, last: {refusals[-1].reason}"
                if refusals
                else "READ (not refused)"
            )
        except UploadRefused as exc:
            outcome = f"refused: {exc}"
        out[name] = {
            "zip_kb": round(len(data) / 1024),
            "expands_mb": round(expands / 1024 / 1024),
            "seconds": round(time.perf_counter() - started, 3),
            "peak_before_mb": round(before, 1),
            "peak_after_mb": round(peak_mb(), 1),
            "outcome": outcome,
        }
    return out


def step_export(database: str, year: int, path: str) -> dict:
    _django(database)
    from reporting.returns.ssda903 import export_zip

    data = export_zip(year)
    Path(path).write_bytes(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        rows = sum(archive.read(i).count(b"\n") - 1 for i in archive.infolist())
    return {"zip_kb": round(len(data) / 1024), "rows": rows}


def step_import(database: str, path: str) -> dict:
    _django(database)
    from reporting.returns.importer import import_years, read_upload

    data = Path(path).read_bytes()
    before = peak_mb()
    started = time.perf_counter()
    years = read_upload(data, Path(path).name)
    read_s = time.perf_counter() - started
    after_read = peak_mb()
    result = import_years(years)
    return {
        "read_seconds": round(read_s, 2),
        "seconds": round(time.perf_counter() - started, 1),
        "peak_before_mb": round(before, 1),
        "peak_after_read_mb": round(after_read, 1),
        "peak_after_mb": round(peak_mb(), 1),
        "ok": result.ok,
        "refusals": [r.as_dict() for r in result.refusals[:5]],
        "counts": result.counts,
    }


def step_generate(database: str, scale: str, seed: int, fresh: bool) -> dict:
    _django(database)
    from django.core.management import call_command

    from iro.models import Child

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if fresh or not Child.objects.exists():
        call_command("flush", interactive=False, verbosity=0)
        call_command("generate_data", scale=scale, seed=seed, stdout=io.StringIO())
    from django.db import connections

    connections.close_all()
    return {"children": Child.objects.count(), "seconds": round(time.perf_counter() - started)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="la", choices=["small", "la", "national"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--year", type=int, default=None, help="collection year (default: last)")
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        name, *rest = args.step
        steps = {
            "hostile": step_hostile,
            "generate": lambda db, scale, seed, fresh: step_generate(
                db, scale, int(seed), fresh == "1"
            ),
            "export": lambda db, year, path: step_export(db, int(year), path),
            "empty": step_empty,
            "import": step_import,
        }
        print(json.dumps(steps[name](*rest)))
        return

    for name, hostile in run_step(__file__, "hostile").items():
        print(
            f"hostile zip ({name}): {hostile['zip_kb']} KB expanding to "
            f"{hostile['expands_mb']} MB: {hostile['outcome']} in {hostile['seconds']} s; peak "
            f"memory {hostile['peak_before_mb']} MB before, {hostile['peak_after_mb']} MB after"
        )
    source = f"iro_bench_import_{args.scale}"
    scratch = f"{source}_scratch"
    generated = run_step(
        __file__, "generate", source, args.scale, str(args.seed), "1" if args.fresh else "0"
    )
    print(f"{args.scale} data: {generated['children']:,} children ({generated['seconds']} s)")
    if args.year is None:
        from datetime import date

        today = date.today()
        args.year = (today.year if today.month >= 4 else today.year - 1) - 1
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"ssda903-{args.scale}-{args.year}.zip"
    exported = run_step(__file__, "export", source, str(args.year), str(path))
    print(f"return {args.year}: {exported['zip_kb']} KB zip, {exported['rows']:,} rows")
    copy_database(source, scratch)
    try:
        run_step(__file__, "empty", scratch)
        imported = run_step(__file__, "import", scratch, str(path))
    finally:
        drop_database(scratch)
    print(
        f"import of one year at {args.scale} into an empty database: {imported['seconds']} s "
        f"(reading {imported['read_seconds']} s); peak memory {imported['peak_before_mb']} MB "
        f"after start-up, {imported['peak_after_read_mb']} MB after reading, "
        f"{imported['peak_after_mb']} MB at the end; "
        + ("imported: " + json.dumps(imported["counts"]) if imported["ok"] else "REFUSED ")
        + ("" if imported["ok"] else json.dumps(imported["refusals"]))
    )


if __name__ == "__main__":
    main()
