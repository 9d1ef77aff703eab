"""The annual report's two periods computed side by side on two connections (REPORT_WORKERS):
the same numbers as one connection, read from one snapshot."""

import json
import threading
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reporting.figures import SECTIONS, Period, compute_many, figures_in
from reporting.figures.base import _parallel_allowed
from tests.iro.factories import ChildFactory
from tests.reporting import care_dataset

PERIOD = Period.year(2024)


def _ids() -> list[str]:
    return [f.id for section in SECTIONS for f in figures_in(section)]


def _plain(computed: dict) -> str:
    return json.dumps(
        {k: [v["result"].as_dict(), v["previous"].as_dict()] for k, v in computed.items()},
        sort_keys=True,
        default=str,
    )


@pytest.mark.django_db(transaction=True)
def test_two_connections_give_the_numbers_of_one():
    care_dataset.build()
    ids = _ids()
    assert _parallel_allowed(ids, [PERIOD, PERIOD.previous()], 2)

    with CaptureQueriesContext(connection) as one:
        alone = compute_many(ids, PERIOD, workers=1)
    with CaptureQueriesContext(connection) as two:
        side_by_side = compute_many(ids, PERIOD, workers=2)

    assert _plain(side_by_side) == _plain(alone)
    assert alone["CLA-01"]["result"].value == 6  # A, B, E, F, K and L (care_dataset)
    # The year before ran on the other connection: this one ran only the year's queries, plus
    # the three statements that set up and export the snapshot.
    figure_queries = [q for q in two.captured_queries if "pg_export_snapshot" not in q["sql"]]
    assert any("pg_export_snapshot" in q["sql"] for q in two.captured_queries)
    assert len(figure_queries) < len(one.captured_queries) * 0.7


def admit(child) -> None:
    try:
        care_dataset.episode(child, date(2023, 6, 1))
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_the_other_connection_reads_the_snapshot_taken_at_the_start():
    """A child admitted by another session while the report runs is in neither period's count."""
    from reporting.figures import base

    care_dataset.build()
    ids = _ids()
    before = compute_many(ids, PERIOD, workers=1)

    original = base._compute_one_period
    admitted = []

    def admit_then_compute(fids, period):
        if not admitted:  # the first call comes after the snapshot was exported
            admitted.append(True)
            # Another session (a thread has its own connection) commits a new looked-after
            # child while the run is under way.
            worker = threading.Thread(target=admit, args=(newcomer,))
            worker.start()
            worker.join()
        return original(fids, period)

    newcomer = ChildFactory(date_of_birth=date(2014, 1, 1))
    base._compute_one_period = admit_then_compute
    try:
        during = compute_many(ids, PERIOD, workers=2)
    finally:
        base._compute_one_period = original
    after = compute_many(ids, PERIOD, workers=2)

    assert admitted
    assert during["CLA-01"]["result"].value == before["CLA-01"]["result"].value == 6
    assert during["CLA-01"]["previous"].value == before["CLA-01"]["previous"].value
    assert after["CLA-01"]["result"].value == 7
    assert after["CLA-01"]["previous"].value == before["CLA-01"]["previous"].value + 1


@pytest.mark.django_db
def test_inside_an_open_transaction_the_run_stays_on_one_connection():
    # Another connection could not see this test's uncommitted rows.
    assert not _parallel_allowed(_ids(), [PERIOD, PERIOD.previous()], 2)
    assert not _parallel_allowed(_ids(), [PERIOD], 2)
