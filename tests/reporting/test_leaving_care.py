"""Area 3 (LVC) figures on the crafted care histories of tests/reporting/care_dataset.py, with
the numbers worked by hand for 2024/25."""

import pytest

from reporting.figures import Period, get_figure
from tests.reporting import care_dataset
from tests.reporting.helpers import assert_rows_add_up

YEAR = Period.year(2024)


@pytest.fixture
def children(db):
    return care_dataset.build()


def compute(figure_id):
    return get_figure(figure_id).compute(YEAR)


def test_leavers_in_the_year_include_1_april_and_31_march(children):
    # J (1 April), G (30 Sep, adopted), C (15 Jan), H (31 March). Not I (31 March 2024), D
    # (short break), F (legal and placement changes end episodes with X1).
    result = compute("LVC-01")
    assert result.value == 4
    assert result.breakdown == {"M": 2, "F": 2, "U": 0}
    # Ages on leaving: G 3; H 11 on his birthday; J 11 (12 the next day); C 16.
    assert compute("LVC-02").breakdown == {"under 1": 0, "1-4": 1, "5-9": 0, "10-15": 2, "16+": 1}


def test_reasons_orders_and_routes(children):
    reasons = compute("LVC-03").breakdown
    assert {k: v for k, v in reasons.items() if v} == {"E5": 1, "E11": 1, "E45": 1, "E13": 1}
    orders = compute("LVC-04")
    assert orders.value == 1 and orders.breakdown["E45"] == 1
    routes = compute("LVC-05")
    # Permanent orders: H (SGO) and G (adopted) of 4.
    assert (routes.value, routes.numerator, routes.denominator) == (50.0, 2, 4)
    assert routes.breakdown["Home to parents or others"] == 1
    assert routes.breakdown["Independent living"] == 1


def test_adoption_timings(children):
    result = compute("LVC-06")
    assert result.value == 1
    assert result.breakdown == {"adopted": 1, "waiting": 0, "placed with adopters": 0}
    # Placement order 1 May 2023 to adoption 30 Sep 2024 = 518 days; care from 1 Jan 2022 to
    # placed with adopters 1 Nov 2023 = 669 days.
    assert ["Mean days, placement order to adoption order", 518.0] in result.table
    assert ["Mean days, entering care to moving in with adopters", 669.0] in result.table


def test_adoption_timings_when_care_began_before_the_data(children):
    """LVC-06 (issue 24 item 10): an SSDA903 history imported from its first year holds only the
    episodes open in that year, so a period of care may have no RNE = S episode on file. The
    placement order mean keeps a child whose E1 episode began inside the data, leaves out one
    whose first episode on file is already E1, and the table counts both; before, every such
    child was dropped from both means without a word."""
    ep, d = care_dataset.episode, care_dataset.date
    # P: in care before the data; placement order 1 May 2024 (on file), adopted 31 Jan 2025.
    p = care_dataset.ChildFactory(date_of_birth=d(2021, 3, 1))
    ep(p, d(2024, 1, 1), d(2024, 5, 1), "X1", reason_new_episode="L")
    ep(p, d(2024, 5, 1), d(2024, 8, 1), "X1", reason_new_episode="L", legal_status="E1")
    ep(p, d(2024, 8, 1), d(2025, 1, 31), "E11", reason_new_episode="T", legal_status="E1",
       placement_type="A5")  # fmt: skip
    # Q: the first episode on file is already under the placement order (made before the data).
    q = care_dataset.ChildFactory(date_of_birth=d(2021, 6, 1))
    ep(q, d(2023, 12, 15), d(2024, 4, 29), "X1", reason_new_episode="L", legal_status="E1")
    ep(q, d(2024, 4, 29), d(2024, 10, 13), "E11", reason_new_episode="T", legal_status="E1",
       placement_type="A5")  # fmt: skip
    result = compute("LVC-06")
    assert result.value == 3
    # G 518 days and P 275 days (1 May 2024 to 31 Jan 2025); Q left out.
    assert ["Mean days, placement order to adoption order", 396.5] in result.table
    # Only G's entering care is known (669 days); P and Q left out.
    assert ["Mean days, entering care to moving in with adopters", 669.0] in result.table
    left_out = {row[0].split(":")[0]: row[1] for row in result.table[-2:]}
    assert left_out == {
        "Adopted children left out of the placement order mean": 1,
        "Adopted children left out of the entering care mean": 2,
    }


def test_staying_put(children):
    assert compute("LVC-07").value == 0
    care_dataset.episode(care_dataset.ChildFactory(date_of_birth=care_dataset.date(2006, 7, 1)),
                         care_dataset.date(2020, 1, 1), care_dataset.date(2024, 7, 1),
                         "E17")  # fmt: skip
    assert compute("LVC-07").value == 1


@pytest.mark.parametrize("figure_id", [f"LVC-0{n}" for n in range(1, 8)])
def test_drill_down_rows_add_up(children, figure_id):
    assert_rows_add_up(figure_id, YEAR)
