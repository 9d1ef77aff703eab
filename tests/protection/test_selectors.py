"""Panel and drift lists against a hand-built dataset, reminders, and months on plan in SQL."""

from datetime import date, timedelta

import pytest

from iro.rules import add_months
from protection import rules, selectors
from protection.models import ConferenceKind, ConferenceStatus
from tests.iro.factories import ChildFactory
from tests.protection.factories import (
    ConferenceFactory,
    CoreGroupMeetingFactory,
    ProtectionPlanFactory,
)

pytestmark = pytest.mark.django_db

ON = date(2025, 6, 30)


@pytest.fixture
def dataset():
    """Eight children; comments give each plan's months on plan on 30 June 2025."""
    plan = ProtectionPlanFactory
    made = {
        "a": plan(start=date(2024, 3, 31)),  # 15: on the panel
        "b": plan(start=date(2024, 4, 1)),  # 14
        "c": plan(start=date(2023, 6, 30)),  # 24: panel and 2 years
        "d": plan(start=date(2023, 7, 1)),  # 23: panel only
    }
    e = ChildFactory()
    plan(child=e, start=date(2022, 1, 10), end=date(2023, 1, 10))
    made["e"] = plan(child=e, start=date(2025, 1, 6))  # 5; second plan within 2 years
    f = ChildFactory()
    plan(child=f, start=date(2019, 1, 10), end=date(2020, 1, 10))
    made["f"] = plan(child=f, start=date(2024, 2, 5))  # 16; second plan, long after the first
    plan(start=date(2023, 1, 1), end=ON)  # ended on the day: not open
    plan(start=ON + timedelta(days=1))  # not started yet
    return made


def test_the_panel_summary_counts_each_list_exactly(dataset, team_manager):
    summary = selectors.panel_summary(user=team_manager, on=ON)
    assert summary == {
        "open": 6,
        "at_15_months": 4,
        "at_2_years": 1,
        "subsequent_ever": 2,
        "subsequent_2y": 1,
    }


def test_the_15_month_panel_lists_plans_with_their_months(dataset, team_manager):
    plans = selectors.plan_list(user=team_manager, on=ON, min_months=15)
    assert [(p.pk, p.months_on_plan) for p in plans] == [
        (dataset["c"].pk, 24),
        (dataset["d"].pk, 23),
        (dataset["f"].pk, 16),
        (dataset["a"].pk, 15),
    ]


def test_the_two_year_list_has_only_the_plan_at_24_months(dataset, team_manager):
    plans = selectors.plan_list(user=team_manager, on=ON, min_months=24)
    assert [p.pk for p in plans] == [dataset["c"].pk]


def test_second_plans_ever_and_within_two_years(dataset, team_manager):
    ever = selectors.plan_list(user=team_manager, on=ON, subsequent="ever")
    assert sorted(p.pk for p in ever) == sorted([dataset["e"].pk, dataset["f"].pk])
    assert [p.previous_plans_from_history for p in ever] == [1, 1]
    within = selectors.plan_list(user=team_manager, on=ON, subsequent="2y")
    assert [p.pk for p in within] == [dataset["e"].pk]


def test_an_iro_sees_only_plans_of_their_children(dataset, iro_other, team_manager):
    assert selectors.panel_summary(user=iro_other, on=ON)["open"] == 0
    assert list(selectors.plan_list(user=iro_other, on=ON)) == []


def test_months_on_plan_in_sql_agree_with_the_rule(team_manager):
    starts = [date(2023, 1, 31) + timedelta(days=n * 17) for n in range(40)]
    for start in starts:
        ProtectionPlanFactory(start=start)
    for on in [date(2025, 2, 28), date(2025, 3, 30), date(2025, 3, 31), date(2024, 2, 29)]:
        for plan in selectors.plan_list(user=team_manager, on=on):
            assert plan.months_on_plan == rules.months_between(plan.start, on), (plan.start, on)


def test_reminders_list_what_is_due_and_overdue():
    today = date(2025, 6, 2)
    soon = ConferenceFactory(due=date(2025, 6, 10))
    ConferenceFactory(due=date(2025, 7, 30))  # not yet in the booking window
    overdue = ConferenceFactory(due=date(2025, 5, 30))
    plan = ProtectionPlanFactory(start=date(2025, 3, 3))
    rcpc = ConferenceFactory(
        kind=ConferenceKind.RCPC, plan=plan, child=plan.child, due=add_months(plan.start, 3)
    )
    late_core = ProtectionPlanFactory(start=date(2025, 5, 1))
    on_time_core = ProtectionPlanFactory(start=date(2025, 5, 1))
    CoreGroupMeetingFactory(plan=on_time_core, held_on=date(2025, 5, 9))
    assert set(selectors.conferences_due_soon_not_booked(today=today)) == {soon, rcpc}
    assert list(selectors.conferences_overdue(today=today)) == [overdue]
    assert list(selectors.rcpcs_due(today=today)) == [rcpc]
    overdue_core = set(selectors.core_groups_overdue(today=today))
    assert late_core in overdue_core and on_time_core not in overdue_core
    assert plan in overdue_core  # started in March, no core group recorded
    assert rcpc.status == ConferenceStatus.DUE
