"""Areas 9 (QA) and 10 (DR), worked by hand on a crafted year (2025/26).

IRPs: A (two looked-after siblings) raised Fri 19 Dec 2025, resolved at stage 1 on 21 Jan 2026,
20 working days over Christmas, resolved for the child. B (a child neither looked after nor on a
plan) raised 16 Apr 2025 (Easter), escalated to stage 2, resolved 20 May: 21 working days, partly
resolved. C (one sibling) 2-6 Jun 2025, 4 working days, superficial compliance. D withdrawn.
E raised and resolved in 2024/25. F (a sibling) raised 2 Feb 2026 by another IRO, referred to
Cafcass on 10 Mar, still open on 31 March past its 20-working-day deadline.
"""

from datetime import date

import pytest

from escalations import services
from iro.models import ResponderLevel
from reporting.figures import Period, get_figure
from reviews.models import IroContact, MidwayReview, MonitoringCheck
from tests.escalations.factories import ConcernFactory, make_responder, raise_irp, stage
from tests.iro.factories import (
    AllocationFactory,
    CareEpisodeFactory,
    ChildFactory,
    SiblingGroupFactory,
)
from tests.reporting.helpers import assert_rows_add_up

pytestmark = pytest.mark.django_db
YEAR = Period.year(2025)


def answer_and_resolve(irp, responder, iro, answered, resolved, quality):
    services.escalation_respond(
        escalation=irp, responder=responder, response="Done", resolved=True, responded_on=answered
    )
    services.escalation_resolve(escalation=irp, user=iro, outcome_quality=quality, on=resolved)


@pytest.fixture
def irps(iro_allocated, iro_other):
    iro = iro_allocated
    manager = make_responder(ResponderLevel.SW_TEAM_MANAGER, username="sam")
    head = make_responder(stage(2).responder_level, username="hos")
    group = SiblingGroupFactory(name="Siblings")
    s1, s2 = ChildFactory(sibling_group=group), ChildFactory(sibling_group=group)
    for child in (s1, s2):
        CareEpisodeFactory(child=child, start=date(2024, 1, 10))
    u = ChildFactory()
    for child in (s1, s2, u):
        AllocationFactory(child=child, iro=iro)
    AllocationFactory(child=s2, iro=iro_other, role="cp")
    a = raise_irp(iro=iro, children=[s1, s2], responder=manager, on=date(2025, 12, 19))
    answer_and_resolve(a, manager, iro, date(2026, 1, 20), date(2026, 1, 21), "resolved_for_child")
    b = raise_irp(iro=iro, children=[u], responder=manager, on=date(2025, 4, 16),
                  category="practice", practice_subcategory="visits")  # fmt: skip
    services.escalation_escalate(
        escalation=b, user=iro, stage=stage(2), responder=head, on=date(2025, 4, 23)
    )
    answer_and_resolve(b, head, iro, date(2025, 5, 19), date(2025, 5, 20), "partly_resolved")
    c = raise_irp(iro=iro, children=[s1], responder=manager, on=date(2025, 6, 2),
                  category="placement")  # fmt: skip
    answer_and_resolve(
        c, manager, iro, date(2025, 6, 3), date(2025, 6, 6), "superficial_compliance"
    )
    d = raise_irp(iro=iro, children=[u], responder=manager, on=date(2025, 6, 2))
    services.escalation_withdraw(
        escalation=d, user=iro, note="Raised in error", on=date(2025, 6, 3)
    )
    e = raise_irp(iro=iro, children=[u], responder=manager, on=date(2025, 3, 3))
    answer_and_resolve(e, manager, iro, date(2025, 3, 4), date(2025, 3, 31), "resolved_for_child")
    f = raise_irp(iro=iro_other, children=[s2], responder=manager, on=date(2026, 2, 2))
    services.escalation_refer_cafcass(escalation=f, user=iro_other, on=date(2026, 3, 10))
    ConcernFactory(child=s1, raised_on=date(2025, 5, 1), plan_context="looked_after")
    ConcernFactory(child=u, raised_on=date(2025, 11, 3), plan_context="neither")
    ConcernFactory(child=u, raised_on=date(2025, 3, 31), plan_context="neither")
    return {"a": a, "f": f}


def compute(figure_id, period=YEAR):
    result = get_figure(figure_id).compute(period)
    assert_rows_add_up(figure_id, period)
    return result


def test_dr_01_to_03_who_when_and_why(irps):
    raised = compute("DR-01")
    assert raised.value == 6  # A counts its two siblings
    assert raised.breakdown == {"looked_after": 4, "cp_plan": 0, "dual": 0, "neither": 2}
    assert raised.table == [["children", 6], ["IRPs", 5]]
    months = compute("DR-02")
    assert months.value == 5
    assert {k: v for k, v in months.months.items() if v} == {
        "2025-04": 1, "2025-06": 2, "2025-12": 1, "2026-02": 1,
    }  # fmt: skip
    assert months.table == [["first 6 months", 3], ["last 6 months", 2]]
    reasons = compute("DR-03")
    assert reasons.breakdown["drift_and_delay"] == 3
    assert (reasons.numerator, reasons.denominator, reasons.value) == (3, 5, 60.0)


def test_dr_04_05_10_how_disputes_were_resolved(irps):
    stage_ = compute("DR-04")
    assert stage_.breakdown == {"1": 2, "2": 1}
    assert (stage_.numerator, stage_.denominator, stage_.value) == (2, 3, 66.7)
    timing = compute("DR-05")
    # 20 (over Christmas and New Year), 21 (over Easter) and 4 working days.
    assert (timing.value, timing.numerator, timing.denominator) == (15.0, 2, 3)
    quality = compute("DR-10")
    assert (quality.numerator, quality.denominator, quality.value) == (1, 3, 33.3)


def test_dr_06_to_09_raisers_cafcass_overdue_and_concerns(irps):
    assert compute("DR-06").value == 2
    assert compute("DR-07").value == 1
    overdue = compute("DR-08")
    assert overdue.value == 1 and overdue.table[0][0] == irps["f"].pk
    assert compute("DR-08", Period.year(2024)).value == 0
    concerns = compute("DR-09")
    assert concerns.value == 2
    assert concerns.breakdown == {"looked_after": 1, "cp_plan": 0, "dual": 0, "neither": 1}


def test_qa_01_to_03_oversight_and_monitoring(iro_allocated):
    child, other = ChildFactory(), ChildFactory()
    for on, kind in ((date(2025, 5, 1), "visit"), (date(2025, 9, 1), "visit"),
                     (date(2026, 1, 5), "phone"), (date(2025, 3, 1), "visit")):  # fmt: skip
        IroContact.objects.create(child=child, iro=iro_allocated, contact_on=on, kind=kind)
    MidwayReview.objects.create(child=child, iro=iro_allocated, held_on=date(2025, 8, 1),
                                plan_on_track=True, recommendations_progressing=True)  # fmt: skip
    for who, on, up_to_date in ((child, date(2025, 6, 1), True), (other, date(2025, 7, 1), True),
                                (child, date(2026, 2, 1), False),
                                (other, date(2025, 3, 1), False)):  # fmt: skip
        MonitoringCheck.objects.create(
            child=who, iro=iro_allocated, checked_on=on, plan_up_to_date=up_to_date,
            plan_smart=True, assessment_current=True, voice_of_child=up_to_date,
            issues_found="" if up_to_date else "Plan out of date",
        )  # fmt: skip
    oversight = compute("QA-01")
    assert oversight.value == 4
    assert oversight.breakdown == {"visit": 2, "video": 0, "phone": 1, "other": 0, "midway": 1}
    checks = compute("QA-02")
    assert checks.value == 3 and checks.table == [[2]]
    findings = compute("QA-03")
    assert (findings.numerator, findings.denominator, findings.value) == (2, 3, 66.7)
    assert findings.breakdown["plan SMART"] == 100.0
    assert findings.breakdown["voice of the child"] == 66.7
