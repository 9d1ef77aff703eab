"""Area 12 (SC) figures from care episodes, worked by hand on a crafted year (2024/25).

A in care throughout; B from 15 Jun 2024 with a relative (U1); C in care throughout, whose foster
placement ended on 10 Sep 2024 at the carer's request (CREQB); D at home on an interim care order
(P1, C1) from 1 Apr to 31 Dec 2024; E on short breaks only; F adopted on 20 Oct 2024 (in care
from 1 Mar 2021, placement order 1 Mar 2022, placed for adoption 10 Jan 2023).
"""

from datetime import date

import pytest

from reporting.figures import Period, get_figure
from reporting.models import Population
from tests.iro.factories import CareEpisodeFactory, ChildFactory
from tests.reporting.helpers import assert_rows_add_up

pytestmark = pytest.mark.django_db
YEAR = Period.year(2024)


@pytest.fixture
def episodes(db):
    Population.objects.create(year=2024, children_0_17=35_000)
    a, b, c, d, e, f = (ChildFactory() for _ in range(6))
    CareEpisodeFactory(child=a, start=date(2023, 1, 1))
    CareEpisodeFactory(child=b, start=date(2024, 6, 15), placement_type="U1")
    CareEpisodeFactory(child=c, start=date(2023, 5, 1), placement_type="U4",
                       end=date(2024, 9, 10), reason_ceased="X1", reason_place_change="CREQB")  # fmt: skip
    CareEpisodeFactory(child=c, start=date(2024, 9, 10), reason_new_episode="P")
    CareEpisodeFactory(child=d, start=date(2024, 4, 1), legal_status="C1", placement_type="P1",
                       placement_provider="PR0", end=date(2024, 12, 31), reason_ceased="E4A")  # fmt: skip
    CareEpisodeFactory(child=e, start=date(2024, 5, 1), legal_status="V3")
    CareEpisodeFactory(child=f, start=date(2021, 3, 1), placement_type="U4",
                       end=date(2022, 3, 1), reason_ceased="X1")  # fmt: skip
    CareEpisodeFactory(child=f, start=date(2022, 3, 1), reason_new_episode="L",
                       legal_status="E1", placement_type="U4", end=date(2023, 1, 10),
                       reason_ceased="X1")  # fmt: skip
    CareEpisodeFactory(child=f, start=date(2023, 1, 10), reason_new_episode="P",
                       legal_status="E1", placement_type="A6", end=date(2024, 10, 20),
                       reason_ceased="E11")  # fmt: skip


def compute(figure_id, period=YEAR):
    result = get_figure(figure_id).compute(period)
    assert_rows_add_up(figure_id, period)
    return result


def test_sc_01_and_02_month_end_series_and_the_peak(episodes):
    result = compute("SC-01")
    assert list(result.months.values()) == [4, 4, 5, 5, 5, 5, 4, 4, 3, 3, 3, 3]
    assert result.value == 3
    assert result.table == [["2024-09", 5, -2, -40.0]]
    rate = compute("SC-02")
    assert (rate.value, rate.numerator, rate.denominator) == (0.9, 3, 35_000)
    assert rate.months["2024-06"] == 1.4


def test_sc_03_starters_per_leaver(episodes):
    result = compute("SC-03")
    assert (result.numerator, result.denominator, result.value) == (2, 2, 1.0)
    assert result.months["2024-04"] is None  # a starter and no leaver
    assert result.months["2024-10"] == 0.0


def test_sc_05_to_07_connected_carers_home_on_orders_and_breakdowns(episodes):
    connected = compute("SC-05")
    assert list(connected.months.values()) == [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    home = compute("SC-06")
    assert list(home.months.values()) == [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]
    assert home.value == 0
    breakdowns = compute("SC-07")
    assert (breakdowns.numerator, breakdowns.denominator, breakdowns.value) == (1, 3, 33.3)


def test_sc_14_adoption_timeliness_in_days(episodes):
    result = compute("SC-14")
    # 1 Mar 2022 to 20 Oct 2024 = 964 days; 1 Mar 2021 to 10 Jan 2023 = 680 days.
    assert result.value == 964.0
    assert result.breakdown["entering care to placed for adoption"] == 680.0
