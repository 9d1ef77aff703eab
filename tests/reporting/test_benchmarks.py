"""load_benchmarks: idempotent, every bad row reported, nothing half-loaded; the example file and
the synthetic population used by the demo."""

import random
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from iro.registry import SyntheticContext
from reporting import synthetic
from reporting.figures import Period
from reporting.figures.context import benchmark_rows, benchmarks, population_0_17
from reporting.models import Benchmark, Population
from tests.iro.factories import AreaFactory

HEADER = "figure_id,scope,year,value,source\n"


def write(tmp_path, text):
    path = tmp_path / "bench.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_loading_twice_updates_instead_of_duplicating(db, tmp_path):
    path = write(
        tmp_path, HEADER + 'CLA-03,england,2023,70,"DfE, table A1"\nCLA-03,region,2023,88,NE\n'
    )
    out = StringIO()
    call_command("load_benchmarks", str(path), stdout=out)
    assert "2 added, 0 updated" in out.getvalue()
    write(tmp_path, HEADER + 'CLA-03,england,2023,71.5,"DfE, revised"\n')
    out = StringIO()
    call_command("load_benchmarks", str(path), stdout=out)
    assert "0 added, 1 updated" in out.getvalue()
    assert Benchmark.objects.count() == 2
    row = Benchmark.objects.get(figure_id="CLA-03", scope="england")
    assert (float(row.value), row.source) == (71.5, "DfE, revised")
    assert benchmarks("CLA-03", Period.year(2023)) == {"england": 71.5, "region": 88.0}
    assert benchmark_rows("CLA-03", Period.year(2023))[0]["source"] == "DfE, revised"


def test_every_bad_row_is_reported_by_line_and_nothing_is_loaded(db, tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "CLA-03,england,2023,70,DfE\n"
        + "CLA3,england,2023,70,DfE\n"
        + "CLA-03,county,2023,70,DfE\n"
        + "CLA-03,region,twenty,70,DfE\n"
        + "CLA-03,region,2023,seventy,DfE\n"
        + "CLA-03,region,2023,70,\n"
        + "CLA-03,england,2023,72,DfE\n",
    )
    with pytest.raises(CommandError) as error:
        call_command("load_benchmarks", str(path))
    message = str(error.value)
    assert "6 bad row(s), nothing loaded" in message
    assert "line 3: figure_id 'CLA3'" in message
    assert "line 4: scope 'county'" in message
    assert "line 5: year 'twenty'" in message
    assert "line 6: value 'seventy'" in message
    assert "line 7: source is empty" in message
    assert "line 8: repeats line 2" in message
    assert Benchmark.objects.count() == 0


def test_a_file_without_the_columns_or_missing_is_refused(db, tmp_path):
    path = write(tmp_path, "figure,scope,year\nCLA-03,england,2023\n")
    with pytest.raises(CommandError, match="missing figure_id, value, source"):
        call_command("load_benchmarks", str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_benchmarks", str(tmp_path / "nope.csv"))


def test_the_example_file_loads(db):
    call_command("load_benchmarks", str(synthetic.EXAMPLE_BENCHMARKS), stdout=StringIO())
    assert benchmarks("CLA-03", Period.year(2021)) == {
        "england": 70.0, "region": 88.0, "neighbours": 87.2,
    }  # fmt: skip
    assert all(row.source for row in Benchmark.objects.all())


def test_synthetic_population_gives_a_rate_near_85_per_10000(db):
    north, south = AreaFactory(name="North"), AreaFactory(name="South")
    ctx = SyntheticContext(scale="la", params={"in_care": 2200, "years": 3},
                           rng=random.Random(1), today=date(2026, 3, 1),
                           log=lambda m: None)  # fmt: skip
    synthetic.generate(ctx)
    whole = population_0_17(Period.year(2025))
    assert round(2200 * 10_000 / whole) == 85
    areas = Population.objects.filter(year=2026, area__isnull=False)
    assert {p.area_id for p in areas} == {north.pk, south.pk}
    assert abs(sum(p.children_0_17 for p in areas) - whole) <= 2
    assert Benchmark.objects.exists()
