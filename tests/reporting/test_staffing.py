"""Area 6 (IRO) figures on the crafted team of tests/reporting/staff_dataset.py, with the
numbers worked by hand for 2024/25."""

from datetime import date

import pytest

from reporting.figures import Period, get_figure
from tests.reporting import staff_dataset
from tests.reporting.helpers import assert_rows_add_up

YEAR = Period.year(2024)


@pytest.fixture
def team(db):
    return staff_dataset.build()


def compute(figure_id):
    return get_figure(figure_id).compute(YEAR)


def test_iro_01_children_per_fte_on_31_march_uses_the_fte_of_that_day(team):
    # IRO-01 = children / FTE of the IROs who hold them: ann 4 at 0.6, ben 2 at 1.0, dan 2 at
    # 0.8 (no records): 8 / 2.4 = 3.3. The mean of their own ratios (IRO-02's measure) is
    # (6.667 + 2 + 2.5) / 3 = 3.7, a different question. c9 is not allocated.
    result = compute("IRO-01")
    assert result.value == 3.3
    assert (result.numerator, result.denominator) == (8, 2.4)
    assert result.table == [
        ["Children per FTE", 3.3],
        ["Looked-after children allocated to IROs in post", 8],
        ["FTE of those IROs", 2.4],
        ["IROs with a caseload", 3],
        ["Allocated to someone not in post (not counted)", 0],
        ["Mean of the IROs' own caseloads per FTE (IRO-02)", 3.7],
    ]


def test_iro_01_counts_the_same_iros_in_numerator_and_denominator(team):
    """IRO-01: a child still allocated to cat after her last day (31 October 2024; old data the
    service now refuses) is counted apart, in neither the children nor the FTE."""
    from iro.models import Allocation, User
    from tests.iro.factories import ChildFactory
    from tests.reporting.care_dataset import episode

    child = ChildFactory()
    episode(child, date(2025, 1, 6))
    Allocation.objects.create(
        child=child, iro=User.objects.get(username="cat"), role="cla", start=date(2025, 1, 7)
    )
    result = compute("IRO-01")
    assert (result.value, result.numerator, result.denominator) == (3.3, 8, 2.4)
    assert result.table[4] == ["Allocated to someone not in post (not counted)", 1]
    assert get_figure("IRO-01").records(YEAR, None).count() == 8


def test_iro_02_monthly_mean_median_mode_and_highest_follow_staff_changes(team):
    table = {row[0]: row[1:] for row in compute("IRO-02").table}
    # 30 April 2024: ann 3 / 0.6 = 5.0, dan 2.5, cat 1 / 1.0 = 1.0 (ben not yet in post).
    # Mean 8.5 / 3 = 2.83, median 2.5; whole numbers 5, 3, 1: nearest the mean is 3.
    # Children in care: 6.
    assert table["2024-04"] == [2.8, 2.5, 3, 5.0, 6]
    # 31 October: cat still in post (her last day) with c8; ben has c6 and c7.
    # 30 November: cat has left, ann has c8: as on 31 March (6.667, 2.0, 2.5: median 2.5).
    assert table["2024-11"] == [3.7, 2.5, 3, 6.7, 8]
    assert table["2025-03"] == [3.7, 2.5, 3, 6.7, 9]
    assert compute("IRO-02").months["2025-03"] == 3.7


def test_establishment_counts_fte_by_contract_from_the_records(team):
    result = compute("IRO-03")
    # ann 0.6 permanent, ben 1.0 agency; cat has left; dan has no records.
    assert result.value == 1.6
    assert result.breakdown == {"permanent": 0.6, "agency": 1.0}
    assert ["Total", 1.6, 2] in result.table


def test_turnover_and_time_in_post(team):
    result = compute("IRO-04")
    assert result.value == 1  # cat retired on 31 October 2024
    assert result.breakdown == {
        "left": 1, "joined": 1, "in post under 2 years": 1, "in post 2 to under 5 years": 0,
        "in post 5 years or more": 1,
    }  # fmt: skip
    assert ["Permanent", 1.0] in result.table


def test_workforce_diversity(team):
    result = compute("IRO-05")
    assert result.value == 2  # ann and ben in post on 31 March
    assert result.breakdown["M"] == 1 and result.breakdown["F"] == 1
    assert result.breakdown["White"] == 1 and result.breakdown["Black or Black British"] == 1


@pytest.mark.parametrize("figure_id", ["IRO-01", "IRO-03", "IRO-04", "IRO-05"])
def test_drill_down_rows_add_up(team, figure_id):
    assert_rows_add_up(figure_id, YEAR)
