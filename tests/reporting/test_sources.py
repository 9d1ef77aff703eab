"""The figures' hand-written SQL reads other apps' tables through their models
(reporting.figures.sources), so a renamed field fails here rather than in a report."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import FieldError

from iro.models import CareEpisode
from reporting.figures import Period
from reporting.figures.snapshot import (
    CORE_SQL,
    HISTORY_SQL,
    LEAVERS_SQL,
    REFERENCE_SQL,
    STARTERS_SQL,
    leavers_summary,
    snapshot,
    starters_summary,
    with_sources,
)
from reporting.figures.sources import rows_of
from reporting.figures.staffing import _caseload_sql, caseloads_by_month

REPORTING = Path(__file__).resolve().parents[2] / "reporting"
# A table of another app named in SQL text: FROM iro_child, JOIN "protection_protectionplan", ...
TABLE_IN_SQL = re.compile(r"\b(?:FROM|JOIN)\s+\"?(?:iro|protection|reviews|escalations)_[a-z_]+")


def test_reporting_names_no_table_of_another_app_in_its_sql():
    found = [
        f"{path.relative_to(REPORTING.parent)}:{number}: {line.strip()}"
        for path in REPORTING.rglob("*.py")
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if TABLE_IN_SQL.search(line)
    ]
    assert found == []


def test_the_rows_are_the_models_columns_named_as_its_fields():
    sql = rows_of(CareEpisode, "e", ["id", "child_id", "end"])
    assert sql == (
        '(SELECT "iro_careepisode"."id" AS "id", "iro_careepisode"."child_id" AS "child_id", '
        '"iro_careepisode"."end" AS "end" FROM "iro_careepisode") AS e ("id", "child_id", "end")'
    )


def test_a_field_the_model_no_longer_has_fails_when_the_statement_is_built():
    with pytest.raises(FieldError):
        rows_of(CareEpisode, "e", ["id", "placement"])


@pytest.mark.parametrize(
    "template", [CORE_SQL, HISTORY_SQL, REFERENCE_SQL, STARTERS_SQL, LEAVERS_SQL]
)
def test_each_statement_reads_every_table_through_a_model(template):
    sql = with_sources(template)
    assert "{" not in sql
    # Every table is read in a model's rows: a table name is followed by the end of its subquery.
    tables = re.findall(r'FROM "((?:iro|protection|reviews|escalations)_[a-z_]+)"(.{6})', sql)
    assert tables
    assert all(after.startswith(") AS ") for _table, after in tables)


def test_the_caseload_statement_reads_the_episodes_through_their_model():
    assert 'FROM "iro_careepisode") AS e ("id", "start", "end"' in _caseload_sql()


def test_the_statements_run_on_the_database(db):
    """PostgreSQL checks every column the statements name against the models' rows."""
    period = Period.year(2024)
    assert snapshot(period)["all"][""] == 0
    assert starters_summary(period)["all"][""] == 0
    assert leavers_summary(period)["all"][""] == 0
    assert caseloads_by_month(period)["2025-03"] == {
        "in_care": 0,
        "connected": 0,
        "home_on_order": 0,
    }
