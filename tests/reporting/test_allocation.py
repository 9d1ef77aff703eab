"""Area 7 (ALC) figures on the crafted team of tests/reporting/staff_dataset.py, with the
numbers worked by hand for 2024/25."""

import pytest

from reporting.figures import Period, get_figure
from tests.reporting import staff_dataset
from tests.reporting.helpers import assert_rows_add_up, rows_count

YEAR = Period.year(2024)


@pytest.fixture
def team(db):
    return staff_dataset.build()


def compute(figure_id):
    return get_figure(figure_id).compute(YEAR)


def test_allocated_within_72_hours_counts_exactly_72_and_open_requests(team):
    # c6: exactly 72 hours (within); c7: 73 hours (not); c9: still waiting (not). The
    # January requests belong to the year before.
    result = compute("ALC-01")
    assert (result.value, result.numerator, result.denominator) == (33.3, 1, 3)
    assert list(get_figure("ALC-01").records(YEAR).values_list("child_id", flat=True)) == [
        team["c6"].pk
    ]
    assert compute("ALC-01").value is not None
    assert get_figure("ALC-01").compute(Period.year(2023)).value == 100.0  # the 5 in January


def test_siblings_share_an_iro_only_when_the_whole_group_does(team):
    # c1 + c2 (both ann): share. c4 (dan) + c6 (ben): do not. c5 + c9 (unallocated): do not.
    result = compute("ALC-02")
    assert (result.value, result.numerator, result.denominator) == (33.3, 2, 6)


def test_cp_chair_carries_on(team):
    # c6: CP chair ben until the day care started, then ben as IRO. c7: chair dan (ended 13 days
    # before care), IRO ben.
    result = compute("ALC-03")
    assert (result.value, result.numerator, result.denominator) == (50.0, 1, 2)


def test_changes_of_iro(team):
    # c8 moved from cat to ann when cat left; nobody else changed. 9 children in care.
    result = compute("ALC-04")
    assert (result.value, result.denominator) == (0.11, 9)
    assert result.breakdown == {"0": 8, "1": 1, "2": 0, "3 or more": 0}
    assert ["Changes of IRO", 1] in result.table
    assert rows_count("ALC-04", YEAR) == 1


def test_delay_before_the_service_hears(team):
    # c6 and c9 notified the day care started (0 days); c7 two days later. Mean 2 / 3 = 0.7.
    result = compute("ALC-05")
    assert result.value == 0.7
    assert result.breakdown == {"same day": 2, "1 to 2 days": 1, "3 to 7 days": 0,
                                "over 7 days": 0}  # fmt: skip


@pytest.mark.parametrize("figure_id", [f"ALC-0{n}" for n in range(1, 6)])
def test_drill_down_rows_add_up(team, figure_id):
    assert_rows_add_up(figure_id, YEAR)
