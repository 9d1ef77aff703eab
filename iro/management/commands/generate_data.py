"""Synthetic data: `manage.py generate_data --scale small|la|national --seed N`.

Builds the case core (staff, areas, children, episode histories, allocations) and then runs every
app's registered generator (iro.registry.synthetic_data) in order.
"""

import random
import time
from datetime import date

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.utils import timezone

from iro.models import Child
from iro.registry import SyntheticContext, registry
from iro.synthetic import SCALES, Generator


class Command(BaseCommand):
    help = "Generate a consistent synthetic dataset at a given scale."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--today", type=date.fromisoformat, default=None)
        parser.add_argument(
            "--flush", action="store_true", help="Empty the database first (asks no questions)"
        )

    def handle(self, *args, **options):
        # A command runs under the jobs' statement timeout (manage.py sets it when it starts);
        # called from code (call_command: seed_demo, tests) the connection may still carry the
        # web request's 5 seconds, which the whole database's ANALYZE passes on a busy machine.
        # The job's timeout is set for the run and the previous one put back after it.
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout')")
            previous = cursor.fetchone()[0]
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, false)",
                [str(settings.DB_JOB_STATEMENT_TIMEOUT_MS)],
            )
        try:
            self._generate(**options)
        finally:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('statement_timeout', %s, false)", [previous])
            except DatabaseError:
                pass  # a failed transaction: its rollback undoes the setting, keep the first error

    def _generate(self, *, scale, seed, today, flush, **options):
        started = time.monotonic()
        if flush:
            call_command("flush", interactive=False, verbosity=0)
        if Child.objects.exists():
            raise CommandError("The database already holds children; use --flush to start again.")
        today = today or timezone.localdate()

        def log(message: str) -> None:
            self.stdout.write(f"[{time.monotonic() - started:6.1f}s] {message}")
            self.stdout.flush()

        # Bulk inserts leave the planner without statistics until autovacuum gets round to the
        # tables; without them it picks poor plans for the next generator's queries (publishing
        # the demo board dashboard at national scale took 11 minutes with most tables not yet
        # analysed). So statistics are refreshed after the core and after each app's generator.
        def analyze() -> None:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

        Generator(scale=scale, seed=seed, today=today, log=log).run()
        analyze()
        context = SyntheticContext(
            scale=scale, params=SCALES[scale], rng=random.Random(seed + 1), today=today, log=log
        )
        for name, generator in registry.synthetic_data:
            log(f"{name} ...")
            generator(context)
            analyze()
        log("statistics updated (ANALYZE)")
        log(f"Done: scale {scale}, seed {seed}, in {time.monotonic() - started:.1f} s")
