"""Measures for the reporting app, computed in the database, checked against hand counts."""

from datetime import date

import pytest

from escalations import selectors, services
from iro.rules import working_days_between
from tests.escalations.factories import raise_irp, stage
from tests.iro.factories import AllocationFactory, ChildFactory

YEAR = (date(2025, 4, 1), date(2026, 3, 31))


@pytest.fixture
def unplanned_child(iro_allocated):
    child = ChildFactory(first_name="Robin", last_name="Reed")
    AllocationFactory(child=child, iro=iro_allocated)
    return child


def answer_and_resolve(irp, responder, iro, answered, resolved):
    services.escalation_respond(
        escalation=irp, responder=responder, response="Done", resolved=True, responded_on=answered
    )
    services.escalation_resolve(
        escalation=irp, user=iro, outcome_quality="resolved_for_child", on=resolved
    )


@pytest.fixture
def year_of_irps(iro_allocated, siblings, unplanned_child, sw_manager, head_of_service):
    iro = iro_allocated
    # A: two siblings, raised Fri 19 Dec 2025, resolved at stage 1 on 21 Jan 2026: 20 working days.
    a = raise_irp(iro=iro, children=siblings, responder=sw_manager, on=date(2025, 12, 19))
    answer_and_resolve(a, sw_manager, iro, date(2026, 1, 20), date(2026, 1, 21))
    # B: raised 16 Apr 2025 (Easter), escalated to stage 2, resolved 20 May: 21 working days.
    b = raise_irp(
        iro=iro,
        children=[unplanned_child],
        responder=sw_manager,
        on=date(2025, 4, 16),
        category="practice",
        practice_subcategory="visits",
    )
    services.escalation_escalate(
        escalation=b, user=iro, stage=stage(2), responder=head_of_service, on=date(2025, 4, 23)
    )
    answer_and_resolve(b, head_of_service, iro, date(2025, 5, 19), date(2025, 5, 20))
    # C: one sibling, Mon 2 Jun to Fri 6 Jun 2025 at stage 1: 4 working days.
    c = raise_irp(
        iro=iro,
        children=[siblings[0]],
        responder=sw_manager,
        on=date(2025, 6, 2),
        category="placement",
    )
    answer_and_resolve(c, sw_manager, iro, date(2025, 6, 3), date(2025, 6, 6))
    # D: withdrawn, never resolved.
    d = raise_irp(iro=iro, children=[unplanned_child], responder=sw_manager, on=date(2025, 6, 2))
    services.escalation_withdraw(
        escalation=d, user=iro, note="Raised in error", on=date(2025, 6, 3)
    )
    # E: raised and resolved before the year.
    e = raise_irp(iro=iro, children=[unplanned_child], responder=sw_manager, on=date(2025, 3, 3))
    answer_and_resolve(e, sw_manager, iro, date(2025, 3, 4), date(2025, 3, 31))
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def test_working_days_to_resolution_match_the_calendar_rule(year_of_irps):
    got = dict(
        selectors.resolved_between(date(2025, 1, 1), date(2026, 12, 31)).values_list(
            "pk", "working_days_to_resolution"
        )
    )
    irps = year_of_irps
    assert got == {irps["a"].pk: 20, irps["b"].pk: 21, irps["c"].pk: 4, irps["e"].pk: 20}
    for escalation in selectors.resolved_between(date(2025, 1, 1), date(2026, 12, 31)):
        assert escalation.working_days_to_resolution == working_days_between(
            escalation.raised_on, escalation.resolved_on
        )


def test_resolution_timeliness_over_the_year(year_of_irps):
    assert selectors.resolution_timeliness(*YEAR) == {
        "resolved": 3,
        "within": 2,
        "percent_within": 66.7,
        "mean_working_days": 15.0,
    }


def test_resolution_timeliness_of_an_empty_window_has_no_percentage(db):
    assert selectors.resolution_timeliness(*YEAR) == {
        "resolved": 0,
        "within": 0,
        "percent_within": None,
        "mean_working_days": None,
    }


def test_stage_at_resolution(year_of_irps):
    assert selectors.stage_at_resolution(*YEAR) == [
        {"stage": 1, "stage_name": "Social work team manager", "count": 2},
        {"stage": 2, "stage_name": "Head of service", "count": 1},
    ]


def test_children_in_irps_by_plan_context_and_category(year_of_irps):
    assert selectors.escalations_by_plan_context_and_category(*YEAR) == [
        {"plan_context": "looked_after", "category": "drift_and_delay", "count": 2},
        {"plan_context": "looked_after", "category": "placement", "count": 1},
        {"plan_context": "neither", "category": "drift_and_delay", "count": 1},
        {"plan_context": "neither", "category": "practice", "count": 1},
    ]


def test_irps_raised_by_category_count_each_irp_once(year_of_irps):
    assert selectors.escalations_raised_by_category(*YEAR) == [
        {"category": "drift_and_delay", "count": 2},
        {"category": "placement", "count": 1},
        {"category": "practice", "count": 1},
    ]


def test_concerns_by_month_category_and_plan_context(iro_allocated, siblings, unplanned_child):
    for child, category, raised in [
        (siblings[0], "drift_and_delay", date(2025, 11, 3)),
        (siblings[1], "drift_and_delay", date(2025, 11, 28)),
        (unplanned_child, "recording", date(2025, 11, 15)),
        (siblings[0], "drift_and_delay", date(2025, 12, 1)),
        (siblings[0], "drift_and_delay", date(2025, 3, 31)),
    ]:
        services.concern_raise(
            child=child,
            raised_by=iro_allocated,
            category=category,
            description="d",
            raised_with="w",
            raised_on=raised,
        )
    assert selectors.concerns_by_category_context_month(*YEAR) == [
        {
            "month": date(2025, 11, 1),
            "category": "drift_and_delay",
            "plan_context": "looked_after",
            "count": 2,
        },
        {
            "month": date(2025, 11, 1),
            "category": "recording",
            "plan_context": "neither",
            "count": 1,
        },
        {
            "month": date(2025, 12, 1),
            "category": "drift_and_delay",
            "plan_context": "looked_after",
            "count": 1,
        },
    ]


def test_working_days_in_the_database_agree_with_the_calendar_rule_around_holidays(
    child, iro_allocated
):
    from datetime import timedelta

    from django.db.models import DateField, Value

    from escalations.models import Concern
    from escalations.selectors import WorkingDaysBetween
    from tests.escalations.factories import ConcernFactory

    ConcernFactory(child=child, raised_by=iro_allocated)
    starts = [date(2025, 12, 15) + timedelta(days=n) for n in range(22)]
    starts += [date(2025, 4, 10) + timedelta(days=n) for n in range(16)]
    starts += [date(2020, 5, 1), date(2022, 9, 16), date(2023, 5, 5)]  # VE Day, funeral, coronation
    pairs = [(s, s + timedelta(days=span)) for s in starts for span in (0, 1, 6, 13, 31)]
    annotations = {
        f"d{i}": WorkingDaysBetween(Value(a, DateField()), Value(b, DateField()))
        for i, (a, b) in enumerate(pairs)
    }
    row = Concern.objects.annotate(**annotations).values(*annotations).get()
    assert [row[f"d{i}"] for i in range(len(pairs))] == [
        working_days_between(a, b) for a, b in pairs
    ]
