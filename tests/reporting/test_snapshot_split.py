"""The snapshot of the children looked after on a day, counted in two halves (CORE_SQL for the
children's own attributes, HISTORY_SQL for their histories, each run only when a figure reads
one of its dimensions), gives exactly what the one statement they replace gives
(REFERENCE_SQL), on the generated `small` authority, for every dimension and key."""

from collections import defaultdict
from datetime import date
from io import StringIO

import time_machine
from django.core.management import call_command
from django.db import connection

from reporting.figures import Period, computing
from reporting.figures.snapshot import (
    CORE_DIMENSIONS,
    REFERENCE_SQL,
    Snapshot,
    snapshot,
    with_sources,
)

TODAY = date(2026, 3, 18)


def _reference(period: Period) -> dict:
    out: dict = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(with_sources(REFERENCE_SQL), Snapshot(period).params)
        for dim, key, n in cursor.fetchall():
            out[dim][key or ""] = int(n)
    return out


def test_the_two_halves_give_what_the_one_statement_gave(db):
    with connection.cursor() as cursor:
        # Generating data is a job, not a web request: no statement deadline (as
        # config/db_timeouts.py gives management commands), however busy the machine.
        cursor.execute("SET statement_timeout = 0")
    with time_machine.travel(TODAY, tick=False):
        call_command("generate_data", scale="small", seed=5, today=TODAY, stdout=StringIO())
    periods = [Period.year(2024), Period.year(2023), Period.month(2025, 11)]
    for period in periods:
        reference = _reference(period)
        assert reference["all"][""] > 50  # a real population on the day
        split = Snapshot(period)
        assert {dim: dict(split[dim]) for dim in reference} == {
            dim: keys for dim, keys in reference.items()
        }
        # Every dimension of the one statement is in one half or the other.
        assert set(reference) - CORE_DIMENSIONS
        assert set(reference) >= CORE_DIMENSIONS


def test_a_figure_that_reads_only_core_dimensions_runs_one_statement(db, django_assert_num_queries):
    with computing():
        snap = snapshot(Period.year(2024))
        with django_assert_num_queries(1):
            snap["all"]
            snap["sex"]
            snap["legal_status"]
        with django_assert_num_queries(1):
            snap["time"]
            snap["siblings"]
        assert snapshot(Period.year(2024)) is snap
