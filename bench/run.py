"""Page benchmarks at a given data scale: one command, prints a table.

    .venv/bin/python bench/run.py [--scale la] [--seed 1] [--repeat 5] [--fresh]

Uses its own database (`iro_bench_<scale>`) on the server DATABASE_URL points at, or on the
embedded server without it. The data is generated once per scale and kept for later runs
(`--fresh` regenerates it). Each page is requested as the role that uses it, through Django's test
client (no network), after one warm-up request; the table shows the median and the worst time,
the number of SQL queries, and the budget (docs/architecture.md; pages at `la` scale under 150 ms).
"""

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGE_BUDGET_MS = 150


def _bench_database_url(name: str) -> str:
    import psycopg

    url = os.environ.get("DATABASE_URL")
    if not url:
        from config.embedded_db import get_server

        server = get_server(Path(os.environ.get("IRO_DATA_DIR", ROOT / ".data")))
        url = server.get_uri("postgres")
    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="la", choices=["small", "la", "national"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--fresh", action="store_true", help="regenerate the data")
    parser.add_argument("--database", help="database name (default iro_bench_<scale>)")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = _bench_database_url(args.database or f"iro_bench_{args.scale}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command

    from iro.models import Child

    call_command("migrate", verbosity=0)
    if args.fresh or not Child.objects.exists():
        call_command("flush", interactive=False, verbosity=0)
        started = time.perf_counter()
        call_command("generate_data", scale=args.scale, seed=args.seed)
        print(f"generated {args.scale} data in {time.perf_counter() - started:.1f} s\n")

    from bench.pages import run_pages

    run_pages(repeat=args.repeat, budget_ms=PAGE_BUDGET_MS, scale=args.scale)


if __name__ == "__main__":
    main()
