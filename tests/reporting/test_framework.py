"""The figure library's framework: periods, registry, shared base sets, JSON shape."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reporting.figures import REGISTRY, SECTIONS, Period, Result, computing, get_figure, shared
from tests.iro.factories import CareEpisodeFactory, ChildFactory
from tests.reporting.helpers import assert_rows_add_up


def test_a_reporting_year_runs_from_1_april_to_31_march():
    year = Period.year(2024)
    assert (year.start, year.end, year.label, year.title) == (
        date(2024, 4, 1),
        date(2025, 3, 31),
        "2024-25",
        "2024/25",
    )
    assert year.previous() == Period.year(2023)
    assert year.month_keys[0] == "2024-04" and year.month_keys[-1] == "2025-03"
    assert len(year.months()) == 12
    assert Period.containing(date(2025, 3, 31)) == year
    assert Period.containing(date(2025, 4, 1)) == Period.year(2025)


def test_a_month_knows_its_last_day_and_the_month_before():
    feb = Period.month(2024, 2)
    assert feb.end == date(2024, 2, 29)
    assert Period.month(2024, 1).previous() == Period.month(2023, 12)


def test_every_figure_names_a_known_section_and_has_a_definition():
    assert REGISTRY, "no figures registered"
    for fig in REGISTRY.values():
        assert fig.section in SECTIONS, fig.id
        assert fig.doc, f"{fig.id} has no docstring giving its definition"


def test_result_as_dict_drops_empty_parts_and_keeps_integers():
    data = Result(value=3, breakdown={"M": 2, "F": 1}).as_dict()
    assert data == {"value": 3, "breakdown": {"M": 2, "F": 1}}
    assert isinstance(data["value"], int)


@pytest.mark.django_db
def test_shared_base_sets_run_once_per_period_within_a_report_run():
    calls = []

    @shared
    def base(period):
        calls.append(period)
        return 1

    with computing():
        base(Period.year(2024))
        base(Period.year(2024))
        base(Period.year(2023))
    base(Period.year(2024))
    assert len(calls) == 3


@pytest.mark.django_db
def test_cla_01_counts_children_looked_after_at_the_end_of_31_march():
    year = Period.year(2024)
    CareEpisodeFactory(start=date(2024, 5, 1))  # open on 31 March: counted
    CareEpisodeFactory(start=date(2023, 1, 1), end=date(2025, 3, 31), reason_ceased="E11")
    CareEpisodeFactory(start=date(2024, 1, 1), legal_status="V3")  # short break: not counted
    CareEpisodeFactory(start=date(2025, 4, 1))  # starts after the year
    ChildFactory()  # never looked after
    result = get_figure("CLA-01").compute(year)
    assert result.value == 1
    assert_rows_add_up("CLA-01", year)


@pytest.mark.django_db
def test_figures_run_a_constant_number_of_queries_for_many_rows():
    year = Period.year(2024)
    CareEpisodeFactory(start=date(2024, 5, 1))
    # Warm up: the service settings row may need creating once (a browser test's flush removes
    # rows written by data migrations).
    get_figure("CLA-01").compute(year)
    with CaptureQueriesContext(connection) as few:
        get_figure("CLA-01").compute(year)
    for _ in range(20):
        CareEpisodeFactory(start=date(2024, 5, 1))
    with CaptureQueriesContext(connection) as many:
        assert get_figure("CLA-01").compute(year).value == 21
    assert len(many) == len(few)
