"""Synthetic concerns and IRPs: rates, a realistic ladder, consistent records, bulk writes."""

import random
from collections import Counter
from datetime import date, timedelta

import pytest

from escalations import selectors, synthetic
from escalations.models import Concern, Escalation, EscalationEvent, EscalationStage
from iro.models import Allocation, CareEpisode, Child, SiblingGroup
from iro.registry import SyntheticContext, registry
from iro.roles import Role
from iro.selectors import child_status_on
from tests.iro.factories import make_user

TODAY = date(2026, 3, 31)
CHILDREN = 400


@pytest.fixture
def authority(db):
    """400 children allocated to 8 IROs for three years, half looked after, some siblings."""
    iros = [make_user(Role.IRO, username=f"iro{n}") for n in range(8)]
    groups = SiblingGroup.objects.bulk_create(SiblingGroup() for _ in range(40))
    children = Child.objects.bulk_create(
        Child(
            la_child_id=f"S{n:05d}",
            first_name="Child",
            last_name=str(n),
            date_of_birth=date(2015, 1, 1),
            sibling_group=groups[n // 2] if n < 80 else None,
        )
        for n in range(CHILDREN)
    )
    start = TODAY - timedelta(days=3 * 365 + 10)
    Allocation.objects.bulk_create(
        Allocation(child=c, iro=iros[i % 8], role="cla", start=start)
        for i, c in enumerate(children)
    )
    CareEpisode.objects.bulk_create(
        CareEpisode(
            child=c,
            start=start,
            reason_new_episode="S",
            legal_status="C2",
            category_of_need="N1",
            placement_type="U6",
            placement_provider="PR1",
        )
        for c in children[: CHILDREN // 2]
    )
    return children


def run(years=3, seed=7):
    messages = []
    ctx = SyntheticContext(
        scale="small",
        params={"history_years": years},
        rng=random.Random(seed),
        today=TODAY,
        log=messages.append,
    )
    synthetic.generate(ctx)
    return messages


def test_the_generator_is_registered():
    assert ("escalations", synthetic.generate) in registry.synthetic_data


def test_rates_follow_the_seed_reports(authority):
    run()
    # 3 years of 400 children: 0.28 x 400 x 3 = 336 concerns and 0.0625 x 400 x 3 = 75 IRPs.
    assert 320 <= Concern.objects.count() <= 340
    assert 70 <= Escalation.objects.count() <= 76
    assert Concern.objects.filter(raised_on__gt=TODAY).count() == 0


def test_most_irps_are_resolved_at_stage_one_or_two(authority):
    run()
    stages = Counter(
        Escalation.objects.filter(status="resolved").values_list("current_stage__order", flat=True)
    )
    resolved = sum(stages.values())
    assert resolved >= 50
    assert (stages[1] + stages[2]) / resolved >= 0.8
    assert stages[1] > stages[2]


def test_about_half_are_resolved_within_twenty_working_days(authority):
    run()
    # Seed report: 57.3% within 20 working days, mean 22.2 working days.
    figures = selectors.resolution_timeliness(date(2020, 1, 1), TODAY)
    assert 40 <= figures["percent_within"] <= 75
    assert 14 <= figures["mean_working_days"] <= 30


def test_every_irp_has_a_consistent_history(authority):
    run()
    for escalation in Escalation.objects.prefetch_related("events", "stages"):
        events = sorted(escalation.events.all(), key=lambda e: (e.on, e.pk))
        assert events[0].action == "raise"
        assert events[-1].to_state == escalation.status
        for before, after in zip(events, events[1:], strict=False):
            assert before.to_state == after.from_state
        open_stages = [s for s in escalation.stages.all() if s.closed_on is None]
        assert len(open_stages) == (
            1
            if escalation.status in ("awaiting_response", "responded", "resolution_proposed")
            else 0
        )
    responses = EscalationEvent.objects.filter(action__in=["respond", "propose_resolution"])
    assert responses.exists()
    for event in responses.select_related("escalation"):
        stage = EscalationStage.objects.get(escalation=event.escalation, definition=event.stage)
        assert event.actor_id == stage.responder_id


def test_plan_context_matches_the_status_selector(authority):
    run()
    for concern in Concern.objects.select_related("child")[:25]:
        assert concern.plan_context == child_status_on(concern.child, concern.raised_on).value


def test_responders_are_added_for_levels_with_none(authority):
    messages = run()
    assert any("responders at level director" in m for m in messages)
    assert EscalationStage.objects.filter(responder__responder_level="").count() == 0


def test_writes_are_bulk_whatever_the_size(authority, django_assert_max_num_queries):
    with django_assert_max_num_queries(60):
        run()


def test_some_irps_come_from_an_earlier_concern_of_the_same_category(authority):
    run()
    from_concern = Escalation.objects.exclude(source_concern=None).select_related("source_concern")
    assert 10 <= from_concern.count() <= 40
    for escalation in from_concern:
        concern = escalation.source_concern
        assert concern.status == "escalated"
        assert concern.category == escalation.category
        assert concern.practice_subcategory == escalation.practice_subcategory
        assert concern.raised_on < escalation.raised_on
        assert escalation.child_links.filter(child_id=concern.child_id).exists()
