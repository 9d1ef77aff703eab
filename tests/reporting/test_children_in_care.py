"""Area 1 (CLA) figures on the crafted care histories of tests/reporting/care_dataset.py, with
the numbers worked by hand for 2024/25."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reporting.figures import Period, compute_many, figures_in, get_figure
from reporting.models import Benchmark
from tests.reporting import care_dataset
from tests.reporting.helpers import assert_rows_add_up, rows_count

YEAR = Period.year(2024)
AREA_IDS = [f"CLA-{n:02d}" for n in range(1, 16)]


@pytest.fixture
def children(db):
    return care_dataset.build()


def compute(figure_id):
    return get_figure(figure_id).compute(YEAR)


def test_looked_after_on_31_march_leaves_out_short_breaks_and_children_who_left_that_day(children):
    # A, B, E, F, K, L. Not C (left in January), D (short break), G (adopted), H (left on 31
    # March itself), I and J (left last year / on 1 April).
    result = compute("CLA-01")
    assert result.value == 6
    assert result.breakdown == {"rate per 10,000": 6.0}  # 6 / 10,000 x 10,000
    ids = set(get_figure("CLA-01").records(YEAR).values_list("pk", flat=True))
    assert ids == {children[k].pk for k in "ABEFKL"}


def test_month_end_counts_follow_starts_and_endings(children):
    months = compute("CLA-02").months
    # A, E, F, K all year; G until August; H until February; C May-December; B from November;
    # L from 20 March.
    assert months == {
        "2024-04": 6, "2024-05": 7, "2024-06": 7, "2024-07": 7, "2024-08": 7, "2024-09": 6,
        "2024-10": 6, "2024-11": 7, "2024-12": 7, "2025-01": 6, "2025-02": 6, "2025-03": 6,
    }  # fmt: skip
    assert compute("CLA-02").value == 6
    assert compute("CLA-02").table[0] == ["2024-04", 6, 6.0]
    assert rows_count("CLA-02", YEAR, "2024-05") == 7


def test_rate_by_locality_uses_each_areas_own_population(children):
    result = compute("CLA-03")
    assert result.value == 6.0
    # North: A and B of 4,000 = 5.0; South: E of 2,500 = 4.0. F, K, L have no area.
    assert result.breakdown == {"North": 5.0, "South": 4.0}
    assert rows_count("CLA-03", YEAR, "North") == 2


def test_england_context_comes_from_the_loaded_benchmarks_by_scope(children):
    assert compute("CLA-04").value is None
    Benchmark.objects.create(figure_id="CLA-04", scope="england", year=2024, value=83630,
                             source="DfE")  # fmt: skip
    Benchmark.objects.create(figure_id="CLA-04", scope="region", year=2024, value=6110,
                             source="DfE")  # fmt: skip
    Benchmark.objects.create(figure_id="CLA-04", scope="england", year=2023, value=1, source="x")
    result = compute("CLA-04")
    assert result.value == 83630.0
    assert result.breakdown == {"england": 83630.0, "region": 6110.0}


def test_looked_after_at_any_time_counts_a_child_who_left_on_1_april(children):
    # A, B, C, E, F, G, H, J (left 1 April), K, L; not D (short break) or I (left 31/3/2024).
    assert compute("CLA-05").value == 10


def test_sex_ethnicity_and_age_of_children_in_care(children):
    sex = compute("CLA-06")
    assert (sex.value, sex.numerator, sex.denominator) == (66.7, 4, 6)
    assert sex.breakdown == {"M": 4, "F": 2, "U": 0}
    ethnicity = compute("CLA-07")
    assert ethnicity.value == 6
    assert {k: v for k, v in ethnicity.breakdown.items() if v} == {"WBRI": 4, "MWBC": 1, "AOTH": 1}
    broad = compute("CLA-08")
    assert broad.breakdown == {
        "White": 4, "Mixed": 1, "Asian or Asian British": 1, "Black or Black British": 0,
        "Other": 0,
    }  # fmt: skip
    assert (broad.value, broad.numerator, broad.denominator) == (33.3, 2, 6)
    # Ages on 31 March 2025: B 0; A 9, F 8; E 15; K 17, L 16.
    assert compute("CLA-09").breakdown == {"under 1": 1, "1-4": 0, "5-9": 2, "10-15": 1, "16+": 2}


def test_starters_count_new_periods_of_care_only(children):
    # B, C (on his 16th birthday: 16+) and L; F started in the previous year; D's short break
    # and F's legal-status and placement changes are not starts.
    assert compute("CLA-10").value == 3
    assert compute("CLA-10").breakdown == {"M": 3, "F": 0, "U": 0}
    assert compute("CLA-11").breakdown == {"under 1": 1, "1-4": 0, "5-9": 0, "10-15": 0, "16+": 2}
    needs = compute("CLA-12").breakdown
    assert {k: v for k, v in needs.items() if v} == {"N1": 1, "N6": 1, "N8": 1}


def test_abuse_or_neglect_uasc_and_time_in_care(children):
    need = compute("CLA-13")
    assert (need.value, need.numerator, need.denominator) == (33.3, 2, 6)  # A and B
    assert compute("CLA-14").value == 1  # K (status ceases after 31 March); C has left
    time = compute("CLA-15")
    # B, L under a year; F (since 1 March 2024: a year and a month) and K 1-3; A 3-5; E 5+.
    assert time.breakdown == {
        "under 1 year": 2, "1 to under 3 years": 2, "3 to under 5 years": 1,
        "5 years or more": 1, "start unknown": 0,
    }  # fmt: skip
    assert ["5 years or more, aged under 10", 0, 0.0] in time.table


def test_cla_15_periods_that_began_before_the_earliest_data(children):
    """CLA-15: a period whose episodes on file start with a change of placement (no RNE = S on
    file) began before the data. P's first episode on file is 6 years before 31 March 2025: at
    least 5 years in care, so "5 years or more" (the lower bound decides). Q's is 2 years
    before: at least 2 years, which does not decide the band: "start unknown", not dropped and
    not put in "5 years or more" by default."""
    from datetime import date

    from tests.iro.factories import ChildFactory
    from tests.reporting.care_dataset import episode

    p = ChildFactory(date_of_birth=date(2012, 1, 1))
    episode(p, date(2019, 3, 1), date(2021, 5, 1), "X1", reason_new_episode="P")
    episode(p, date(2021, 5, 1), reason_new_episode="P")
    q = ChildFactory(date_of_birth=date(2008, 1, 1))
    episode(q, date(2023, 3, 1), reason_new_episode="L")
    time = compute("CLA-15")
    assert time.value == 8
    assert time.breakdown == {
        "under 1 year": 2, "1 to under 3 years": 2, "3 to under 5 years": 1,
        "5 years or more": 2, "start unknown": 1,
    }  # fmt: skip
    assert ["3 years or more", 3, 37.5] in time.table  # A, E and P (lower bound), not Q
    assert ["period of care began before the earliest data held", 2, 25.0] in time.table
    assert time.note.startswith("2 of these periods of care began before the earliest data")
    assert_rows_add_up("CLA-15", YEAR)
    unknown = get_figure("CLA-15").records(YEAR, "start unknown")
    assert list(unknown.values_list("pk", flat=True)) == [q.pk]


@pytest.mark.parametrize("figure_id", [f for f in AREA_IDS if f != "CLA-04"])
def test_drill_down_rows_add_up(children, figure_id):
    assert_rows_add_up(figure_id, YEAR)


def test_the_section_runs_a_constant_number_of_queries_for_more_children(children):
    ids = [f.id for f in figures_in("children_in_care")]
    # Warm up first: after a browser test's flush the service settings row is made on first read.
    compute_many(ids, YEAR)
    with CaptureQueriesContext(connection) as few:
        compute_many(ids, YEAR)
    care_dataset.episode(care_dataset.ChildFactory(), care_dataset.date(2024, 5, 1))
    care_dataset.episode(care_dataset.ChildFactory(), care_dataset.date(2020, 5, 1))
    assert compute("CLA-01").value == 8
    with CaptureQueriesContext(connection) as many:
        compute_many(ids, YEAR)
    assert len(many) == len(few)
    # This year and last: one snapshot, one starters query, one monthly query each, and a few
    # small reads (population, areas, benchmarks).
    assert len(few) <= 20
