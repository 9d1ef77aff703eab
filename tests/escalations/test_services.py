"""Raising, answering, escalating and resolving IRPs and concerns through the services."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from escalations import services
from escalations.models import (
    Category,
    Concern,
    ConcernStatus,
    Escalation,
    EscalationEvent,
    EscalationStage,
    EscalationState,
    OutcomeQuality,
)
from tests.escalations.factories import raise_irp, stage
from tests.iro.factories import AllocationFactory, CareEpisodeFactory, ChildFactory

RAISED = date(2025, 12, 19)


@pytest.fixture
def irp(siblings, iro_allocated, sw_manager):
    return raise_irp(iro=iro_allocated, children=siblings, responder=sw_manager, on=RAISED)


def events(escalation):
    return list(
        EscalationEvent.objects.filter(escalation=escalation)
        .order_by("pk")
        .values_list("action", "from_state", "to_state", "actor__username")
    )


def test_one_irp_for_two_siblings_has_both_children_stage_one_and_a_raise_event(irp, siblings):
    irp.refresh_from_db()
    assert irp.status == EscalationState.AWAITING_RESPONSE
    assert sorted(irp.children.values_list("la_child_id", flat=True)) == ["C900011", "C900012"]
    assert list(irp.child_links.values_list("plan_context", flat=True)) == [
        "looked_after",
        "looked_after",
    ]
    assert irp.current_stage.order == 1
    # Christmas Day and Boxing Day fall inside both deadlines.
    assert irp.process_deadline == date(2026, 1, 21)
    only_stage = irp.stages.get()
    assert (only_stage.started_on, only_stage.response_deadline) == (RAISED, date(2025, 12, 30))
    assert events(irp) == [("raise", "new", "awaiting_response", "alice")]


def test_the_plan_context_is_kept_as_it_was_when_raised(irp, siblings):
    siblings[0].episodes.update(end=date(2026, 1, 5), reason_ceased="E4A")
    assert irp.child_links.get(child=siblings[0]).plan_context == "looked_after"


def test_a_child_on_no_plan_is_recorded_as_neither(iro_allocated, sw_manager):
    child = ChildFactory()
    AllocationFactory(child=child, iro=iro_allocated)
    escalation = raise_irp(iro=iro_allocated, children=[child], responder=sw_manager)
    assert escalation.child_links.get().plan_context == "neither"


def test_children_who_are_not_siblings_cannot_share_an_irp(iro_allocated, sw_manager, child):
    other = ChildFactory()
    AllocationFactory(child=other, iro=iro_allocated)
    with pytest.raises(ValidationError) as info:
        raise_irp(iro=iro_allocated, children=[child, other], responder=sw_manager)
    assert "children" in info.value.message_dict
    assert Escalation.objects.count() == 0


def test_an_iro_cannot_raise_an_irp_for_a_child_they_cannot_see(iro_other, child, sw_manager):
    with pytest.raises(ValidationError) as info:
        raise_irp(iro=iro_other, children=[child], responder=sw_manager)
    assert "children" in info.value.message_dict


def test_only_an_iro_can_raise_an_irp(team_manager, child, sw_manager):
    with pytest.raises(PermissionDenied):
        raise_irp(iro=team_manager, children=[child], responder=sw_manager)


def test_the_named_responder_must_have_the_stage_level(iro_allocated, child, head_of_service):
    with pytest.raises(ValidationError) as info:
        raise_irp(iro=iro_allocated, children=[child], responder=head_of_service, order=1)
    assert info.value.message_dict["responder"] == [
        "Choose a responder who is a social work team manager"
    ]
    assert EscalationStage.objects.count() == 0


def test_a_practice_concern_needs_its_kind(iro_allocated, child, sw_manager):
    with pytest.raises(ValidationError) as info:
        raise_irp(iro=iro_allocated, children=[child], responder=sw_manager, category="practice")
    assert "practice_subcategory" in info.value.message_dict
    escalation = raise_irp(
        iro=iro_allocated,
        children=[child],
        responder=sw_manager,
        category=Category.PRACTICE,
        practice_subcategory="pep_delay",
    )
    assert escalation.get_practice_subcategory_display() == "Personal education plan (PEP) delay"


def test_an_irp_can_be_raised_straight_at_a_later_stage(iro_allocated, child, assistant_director):
    escalation = raise_irp(
        iro=iro_allocated, children=[child], responder=assistant_director, order=3
    )
    assert escalation.current_stage.order == 3
    assert escalation.stages.get().definition.order == 3


def test_the_named_responder_replies(irp, sw_manager):
    services.escalation_respond(
        escalation=irp, responder=sw_manager, response="Panel booked", responded_on=RAISED
    )
    irp.refresh_from_db()
    assert irp.status == EscalationState.RESPONDED
    stage_one = irp.stages.get()
    assert (stage_one.response, stage_one.responded_on, stage_one.proposes_resolution) == (
        "Panel booked",
        RAISED,
        False,
    )
    assert events(irp)[-1] == ("respond", "awaiting_response", "responded", "sam")


def test_a_responder_who_is_not_named_cannot_reply(irp, other_head_of_service, head_of_service):
    for user in (other_head_of_service, head_of_service):
        with pytest.raises(PermissionDenied):
            services.escalation_respond(escalation=irp, responder=user, response="Done")
    irp.refresh_from_db()
    assert irp.status == EscalationState.AWAITING_RESPONSE
    assert len(events(irp)) == 1


def test_a_responder_whose_level_changed_can_no_longer_reply(irp, sw_manager):
    sw_manager.responder_level = "director"
    sw_manager.save()
    with pytest.raises(PermissionDenied):
        services.escalation_respond(escalation=irp, responder=sw_manager, response="Done")


def test_the_responder_cannot_reply_twice(irp, sw_manager):
    services.escalation_respond(escalation=irp, responder=sw_manager, response="First")
    with pytest.raises(ValidationError):
        services.escalation_respond(escalation=irp, responder=sw_manager, response="Second")
    assert irp.stages.get().response == "First"


def test_the_iro_escalates_to_the_next_stage_and_the_first_stage_closes(
    irp, iro_allocated, sw_manager, head_of_service
):
    services.escalation_respond(escalation=irp, responder=sw_manager, response="No capacity")
    services.escalation_escalate(
        escalation=irp,
        user=iro_allocated,
        stage=stage(2),
        responder=head_of_service,
        note="Reply does not address drift",
        on=date(2026, 1, 2),
    )
    irp.refresh_from_db()
    assert (irp.status, irp.current_stage.order) == ("awaiting_response", 2)
    rows = list(
        irp.stages.order_by("definition__order").values_list(
            "definition__order", "closed_on", "response_deadline"
        )
    )
    # Stage 2 from Friday 2 Jan 2026: 5, 6, 7, 8, 9 Jan.
    assert rows == [(1, date(2026, 1, 2), date(2025, 12, 30)), (2, None, date(2026, 1, 9))]
    assert [e[0] for e in events(irp)] == ["raise", "respond", "escalate"]


def test_the_iro_may_skip_stages_but_not_go_back(irp, iro_allocated, director, sw_manager):
    services.escalation_escalate(
        escalation=irp, user=iro_allocated, stage=stage(4), responder=director
    )
    irp.refresh_from_db()
    assert irp.current_stage.order == 4
    with pytest.raises(ValidationError) as info:
        services.escalation_escalate(
            escalation=irp, user=iro_allocated, stage=stage(1), responder=sw_manager
        )
    assert "stage" in info.value.message_dict
    irp.refresh_from_db()
    assert irp.current_stage.order == 4
    assert irp.stages.count() == 2


def test_only_the_raising_iro_escalates_resolves_refers_or_withdraws(
    irp, iro_other, team_manager, head_of_service
):
    calls = [
        lambda u: services.escalation_escalate(
            escalation=irp, user=u, stage=stage(2), responder=head_of_service
        ),
        lambda u: services.escalation_resolve(
            escalation=irp, user=u, outcome_quality="partly_resolved"
        ),
        lambda u: services.escalation_refer_cafcass(escalation=irp, user=u),
        lambda u: services.escalation_withdraw(escalation=irp, user=u, note="No longer needed"),
    ]
    for user in (iro_other, team_manager, head_of_service):
        for call in calls:
            with pytest.raises(PermissionDenied):
                call(user)
    assert len(events(irp)) == 1


def test_the_iro_cannot_accept_a_resolution_before_any_reply(irp, iro_allocated):
    with pytest.raises(ValidationError) as info:
        services.escalation_resolve(
            escalation=irp, user=iro_allocated, outcome_quality="resolved_for_child"
        )
    assert "awaiting response" in info.value.messages[0]
    irp.refresh_from_db()
    assert irp.status == "awaiting_response" and irp.resolved_on is None


def test_resolving_records_the_outcome_quality_and_closes_the_stage(irp, iro_allocated, sw_manager):
    services.escalation_respond(
        escalation=irp, responder=sw_manager, response="Plan agreed", resolved=True
    )
    with pytest.raises(ValidationError) as info:
        services.escalation_resolve(escalation=irp, user=iro_allocated, outcome_quality="")
    assert "outcome_quality" in info.value.message_dict
    services.escalation_resolve(
        escalation=irp,
        user=iro_allocated,
        outcome_quality=OutcomeQuality.SUPERFICIAL_COMPLIANCE,
        note="A plan on paper only",
        on=date(2026, 1, 6),
    )
    irp.refresh_from_db()
    assert (irp.status, irp.resolved_on, irp.outcome_quality) == (
        "resolved",
        date(2026, 1, 6),
        "superficial_compliance",
    )
    assert irp.stages.get().closed_on == date(2026, 1, 6)
    assert events(irp) == [
        ("raise", "new", "awaiting_response", "alice"),
        ("propose_resolution", "awaiting_response", "resolution_proposed", "sam"),
        ("resolve", "resolution_proposed", "resolved", "alice"),
    ]


def test_referral_to_cafcass_is_possible_at_any_open_stage_and_leaves_the_ladder(
    irp, iro_allocated, head_of_service
):
    services.escalation_refer_cafcass(
        escalation=irp, user=iro_allocated, note="Care plan unlawful", on=date(2025, 12, 22)
    )
    irp.refresh_from_db()
    assert (irp.status, irp.cafcass_referred, irp.cafcass_referred_on) == (
        "referred_to_cafcass",
        True,
        date(2025, 12, 22),
    )
    with pytest.raises(ValidationError):
        services.escalation_escalate(
            escalation=irp, user=iro_allocated, stage=stage(2), responder=head_of_service
        )
    services.escalation_resolve(
        escalation=irp, user=iro_allocated, outcome_quality="resolved_for_child"
    )
    irp.refresh_from_db()
    assert irp.status == "resolved" and irp.cafcass_referred is True


def test_withdrawing_needs_a_reason_and_ends_the_irp(irp, iro_allocated, sw_manager):
    with pytest.raises(ValidationError) as info:
        services.escalation_withdraw(escalation=irp, user=iro_allocated, note=" ")
    assert "note" in info.value.message_dict
    services.escalation_withdraw(escalation=irp, user=iro_allocated, note="Raised in error")
    irp.refresh_from_db()
    assert irp.status == "withdrawn" and irp.closed_on is not None
    with pytest.raises(PermissionDenied):
        services.escalation_respond(escalation=irp, responder=sw_manager, response="Too late")


def test_dates_in_the_future_are_refused(iro_allocated, child, sw_manager):
    with pytest.raises(ValidationError) as info:
        raise_irp(iro=iro_allocated, children=[child], responder=sw_manager, on=date(2099, 1, 1))
    assert "raised_on" in info.value.message_dict


def test_the_database_refuses_a_resolved_irp_without_outcome_quality(irp):
    with pytest.raises(IntegrityError), transaction.atomic():
        Escalation.objects.filter(pk=irp.pk).update(status="resolved", resolved_on=RAISED)


def test_the_database_refuses_a_second_open_stage(irp, head_of_service):
    with pytest.raises(IntegrityError), transaction.atomic():
        EscalationStage.objects.create(
            escalation=irp,
            definition=stage(2),
            responder=head_of_service,
            started_on=RAISED,
            response_deadline=date(2025, 12, 30),
        )


# --- Concerns -------------------------------------------------------------------------------


def test_an_iro_records_a_concern_with_the_childs_plan_context(iro_allocated, siblings):
    concern = services.concern_raise(
        child=siblings[0],
        raised_by=iro_allocated,
        category=Category.PRACTICE,
        practice_subcategory="visits",
        description="No statutory visit for 10 weeks",
        raised_with="Social worker",
        raised_on=date(2025, 11, 3),
    )
    assert (concern.status, concern.plan_context, concern.raised_on) == (
        "open",
        "looked_after",
        date(2025, 11, 3),
    )


def test_a_concern_about_a_child_out_of_reach_is_refused(iro_other, child):
    with pytest.raises(ValidationError):
        services.concern_raise(
            child=child,
            raised_by=iro_other,
            category="other",
            description="x",
            raised_with="y",
        )
    assert Concern.objects.count() == 0


def test_a_concern_is_resolved_by_its_iro_with_an_outcome(iro_allocated, iro_other, child):
    concern = services.concern_raise(
        child=child, raised_by=iro_allocated, category="recording", description="d", raised_with="w"
    )
    with pytest.raises(PermissionDenied):
        services.concern_resolve(concern=concern, user=iro_other, outcome="Fixed")
    with pytest.raises(ValidationError):
        services.concern_resolve(concern=concern, user=iro_allocated, outcome="")
    services.concern_resolve(concern=concern, user=iro_allocated, outcome="Records updated")
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.RESOLVED and concern.resolved_on is not None
    with pytest.raises(ValidationError):
        services.concern_resolve(concern=concern, user=iro_allocated, outcome="Again")


def test_an_unresolved_concern_becomes_an_irp_for_the_sibling_group(
    iro_allocated, siblings, sw_manager
):
    concern = services.concern_raise(
        child=siblings[0],
        raised_by=iro_allocated,
        category=Category.DRIFT_AND_DELAY,
        description="Permanence delayed",
        raised_with="Team manager",
        raised_on=date(2025, 12, 1),
    )
    escalation = services.concern_escalate(
        concern=concern,
        user=iro_allocated,
        children=siblings,
        summary="Permanence delayed",
        outcome_sought="Plan by January",
        stage=stage(1),
        responder=sw_manager,
        raised_on=RAISED,
    )
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ESCALATED
    assert escalation.source_concern == concern
    assert escalation.category == Category.DRIFT_AND_DELAY
    assert escalation.children.count() == 2


def test_an_irp_from_a_concern_must_include_the_concerns_child(iro_allocated, siblings, sw_manager):
    concern = services.concern_raise(
        child=siblings[0],
        raised_by=iro_allocated,
        category="other",
        description="d",
        raised_with="w",
    )
    with pytest.raises(ValidationError):
        services.concern_escalate(
            concern=concern,
            user=iro_allocated,
            children=[siblings[1]],
            summary="s",
            outcome_sought="o",
            stage=stage(1),
            responder=sw_manager,
        )
    concern.refresh_from_db()
    assert concern.status == "open"


def test_a_care_episode_for_the_plan_context_factory_is_looked_after(siblings):
    assert CareEpisodeFactory._meta.model.objects.filter(child__in=siblings).count() == 2
