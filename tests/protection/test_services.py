"""Services: s47 to ICPC, booking, outcomes, plans, reviews and core groups; and attempts to break them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from iro.models import Allocation, AllocationRole, MeetingChange, MeetingStatus, ResponderLevel
from iro.selectors import ChildStatus, child_status_on
from protection import services
from protection.models import (
    Conference,
    ConferenceKind,
    ConferenceStatus,
    PlanEndReason,
    ProtectionPlan,
)
from tests.escalations.factories import make_responder
from tests.iro.factories import CareEpisodeFactory, ChildFactory, SiblingGroupFactory
from tests.protection.factories import (
    ConferenceFactory,
    ProtectionPlanFactory,
    at,
    book,
    icpc_due_for,
    plan_from_icpc,
)

pytestmark = pytest.mark.django_db


def test_a_strategy_discussion_that_starts_s47_makes_the_icpc_due_on_both_bases(child):
    discussion = services.strategy_discussion_record(
        child=child, held_on=date(2025, 4, 10), s47_started=True, s47_started_on=date(2025, 4, 17)
    )
    icpc = discussion.conferences.get()
    assert icpc.kind == ConferenceKind.ICPC
    assert icpc.status == ConferenceStatus.DUE
    assert icpc.due == date(2025, 5, 6)  # from the discussion, over Easter and 5 May
    assert icpc.due_dfe == date(2025, 5, 12)  # from the s47 start, DfE counting


def test_a_strategy_discussion_without_s47_makes_nothing_due(child):
    services.strategy_discussion_record(child=child, held_on=date(2025, 4, 10), s47_started=False)
    assert Conference.objects.count() == 0


def test_s47_cannot_start_before_the_discussion_or_without_a_date(child):
    with pytest.raises(ValidationError) as error:
        services.strategy_discussion_record(
            child=child,
            held_on=date(2025, 4, 10),
            s47_started=True,
            s47_started_on=date(2025, 4, 9),
        )
    assert "s47_started_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.strategy_discussion_record(
            child=child, held_on=date(2025, 4, 10), s47_started=True
        )
    assert "s47_started_on" in error.value.message_dict
    assert child.strategy_discussions.count() == 0


def test_a_second_s47_while_an_icpc_is_due_is_refused(child):
    icpc_due_for(child)
    with pytest.raises(ValidationError) as error:
        icpc_due_for(child, discussion_on=date(2025, 4, 14))
    assert "s47_started" in error.value.message_dict
    assert Conference.objects.filter(child=child).count() == 1


def test_booking_an_icpc_books_a_meeting_in_the_chairs_diary(child, iro_allocated):
    icpc = icpc_due_for(child)
    meeting = book(icpc, iro_allocated, date(2025, 4, 29))
    icpc.refresh_from_db()
    assert icpc.status == ConferenceStatus.BOOKED
    assert icpc.meeting == meeting
    assert meeting.kind == "icpc"
    assert list(meeting.children.all()) == [child]


def test_the_chair_cannot_be_double_booked(child, iro_allocated):
    other = ChildFactory()
    book(icpc_due_for(child), iro_allocated, date(2025, 4, 29))
    with pytest.raises(ValidationError) as error:
        book(icpc_due_for(other), iro_allocated, date(2025, 4, 29))
    assert "starts_at" in error.value.message_dict
    assert Conference.objects.get(child=other).status == ConferenceStatus.DUE


def test_booking_after_the_due_date_needs_a_reason(child, iro_allocated):
    icpc = icpc_due_for(child)
    with pytest.raises(ValidationError) as error:
        book(icpc, iro_allocated, date(2025, 5, 7))
    assert "reason_after_due" in error.value.message_dict
    book(icpc, iro_allocated, date(2025, 5, 7), reason_after_due="Parents in hospital")
    icpc.refresh_from_db()
    assert icpc.reason_after_due == "Parents in hospital"


def test_an_icpc_with_a_plan_outcome_starts_the_plan_on_the_icpc_date(child, iro_allocated):
    plan = plan_from_icpc(child, iro_allocated, held_on=date(2025, 5, 1), category="EMO")
    assert plan.start == date(2025, 5, 1)
    assert plan.initial_category == plan.latest_category == "EMO"
    assert plan.previous_plans == 0
    assert plan.chair == iro_allocated
    assert plan.first_core_group_due == date(2025, 5, 16)  # 10 working days, over 5 May
    rcpc = Conference.objects.get(child=child, kind=ConferenceKind.RCPC)
    assert rcpc.due == date(2025, 8, 1)
    assert rcpc.plan == plan
    cp = Allocation.objects.get(child=child, role=AllocationRole.CP, end__isnull=True)
    assert cp.iro == iro_allocated and cp.start == date(2025, 5, 1)
    assert plan.starting_conference.meeting.status == MeetingStatus.HELD


def test_a_cin_plan_or_nfa_outcome_starts_no_plan_and_no_review(child, iro_allocated):
    icpc = icpc_due_for(child)
    book(icpc, iro_allocated, date(2025, 5, 1))
    services.conference_record_outcome(
        conference=icpc, held_on=date(2025, 5, 1), outcome="cin_plan"
    )
    assert ProtectionPlan.objects.count() == 0
    assert Conference.objects.filter(kind=ConferenceKind.RCPC).count() == 0


def test_a_plan_outcome_needs_a_category_and_other_outcomes_refuse_one(child, iro_allocated):
    icpc = icpc_due_for(child)
    book(icpc, iro_allocated, date(2025, 5, 1))
    with pytest.raises(ValidationError) as error:
        services.conference_record_outcome(
            conference=icpc, held_on=date(2025, 5, 1), outcome="cp_plan"
        )
    assert "category" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.conference_record_outcome(
            conference=icpc, held_on=date(2025, 5, 1), outcome="nfa", category="NEG"
        )
    assert "category" in error.value.message_dict
    icpc.refresh_from_db()
    assert icpc.status == ConferenceStatus.BOOKED and icpc.outcome == ""


def test_an_outcome_cannot_be_recorded_for_a_conference_not_booked(child):
    icpc = icpc_due_for(child)
    with pytest.raises(ValidationError):
        services.conference_record_outcome(
            conference=icpc, held_on=date(2025, 5, 1), outcome="cp_plan", category="NEG"
        )


def test_an_icpc_cannot_be_dated_before_its_strategy_discussion(child, iro_allocated):
    icpc = icpc_due_for(child)
    book(icpc, iro_allocated, date(2025, 5, 1))
    with pytest.raises(ValidationError) as error:
        services.conference_record_outcome(
            conference=icpc, held_on=date(2025, 4, 9), outcome="cp_plan", category="NEG"
        )
    assert "held_on" in error.value.message_dict


def test_a_plan_is_refused_while_one_is_open_and_nothing_is_half_written(child, iro_allocated):
    plan_from_icpc(child, iro_allocated)
    # A stray ICPC made outside the services (e.g. imported) for a child already on a plan.
    stray = ConferenceFactory(child=child, due=date(2025, 6, 30))
    book(stray, iro_allocated, date(2025, 6, 2))
    with pytest.raises(ValidationError) as error:
        services.conference_record_outcome(
            conference=stray, held_on=date(2025, 6, 2), outcome="cp_plan", category="PHY"
        )
    assert "outcome" in error.value.message_dict
    stray.refresh_from_db()
    assert stray.status == ConferenceStatus.BOOKED
    assert ProtectionPlan.objects.filter(child=child).count() == 1


def test_a_plan_cannot_start_inside_an_ended_plan(child, iro_allocated):
    ProtectionPlanFactory(child=child, start=date(2024, 1, 15), end=date(2025, 5, 2))
    icpc = ConferenceFactory(child=child, due=date(2025, 5, 6))
    book(icpc, iro_allocated, date(2025, 5, 1))
    with pytest.raises(ValidationError):
        services.conference_record_outcome(
            conference=icpc, held_on=date(2025, 5, 1), outcome="cp_plan", category="NEG"
        )


def test_a_plan_may_start_on_the_day_the_previous_one_ended_and_counts_it(child, iro_allocated):
    ProtectionPlanFactory(child=child, start=date(2023, 1, 16), end=date(2025, 5, 1))
    plan = plan_from_icpc(child, iro_allocated, held_on=date(2025, 5, 1))
    assert plan.previous_plans == 1


def test_the_database_refuses_two_open_plans_for_one_child(child):
    ProtectionPlanFactory(child=child)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProtectionPlanFactory(child=child, start=date(2025, 1, 6))


def test_the_database_refuses_a_plan_ending_before_it_started(child):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProtectionPlanFactory(child=child, start=date(2025, 1, 6), end=date(2025, 1, 5))


def test_siblings_conferenced_together_share_one_meeting_with_an_outcome_each(iro_allocated):
    group = SiblingGroupFactory()
    older, younger = ChildFactory(sibling_group=group), ChildFactory(sibling_group=group)
    conferences = [icpc_due_for(older), icpc_due_for(younger)]
    meeting = book(conferences, iro_allocated, date(2025, 5, 1))
    assert meeting.children.count() == 2
    services.conference_record_outcome(
        conference=conferences[0], held_on=date(2025, 5, 1), outcome="cp_plan", category="NEG"
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.BOOKED  # one child's outcome still to record
    services.conference_record_outcome(
        conference=conferences[1], held_on=date(2025, 5, 1), outcome="nfa"
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert list(ProtectionPlan.objects.values_list("child", flat=True)) == [older.pk]


def test_an_unborn_child_can_be_conferenced_and_made_subject_to_a_plan(iro_allocated):
    unborn = ChildFactory(date_of_birth=None, expected_date_of_birth=date(2025, 7, 1))
    plan = plan_from_icpc(unborn, iro_allocated)
    assert plan.child.is_unborn


def test_a_review_continuing_the_plan_makes_the_next_due_6_months_after_it_was_held(
    child, iro_allocated
):
    plan_from_icpc(child, iro_allocated, discussion_on=date(2025, 5, 12), held_on=date(2025, 5, 30))
    first = Conference.objects.get(kind=ConferenceKind.RCPC)
    assert first.due == date(2025, 8, 30)
    book(first, iro_allocated, date(2025, 8, 29))
    services.conference_record_outcome(
        conference=first, held_on=date(2025, 8, 29), outcome="cp_plan", category="MUL"
    )
    second = Conference.objects.get(kind=ConferenceKind.RCPC, status=ConferenceStatus.DUE)
    assert second.due == date(2026, 2, 28)
    assert ProtectionPlan.objects.get().latest_category == "MUL"


def test_a_review_ending_the_plan_ends_it_on_the_review_date(child, iro_allocated):
    plan_from_icpc(child, iro_allocated)
    rcpc = Conference.objects.get(kind=ConferenceKind.RCPC)
    book(rcpc, iro_allocated, date(2025, 7, 31))
    services.conference_record_outcome(
        conference=rcpc, held_on=date(2025, 7, 31), outcome="cin_plan"
    )
    plan = ProtectionPlan.objects.get()
    assert plan.end == date(2025, 7, 31)
    assert plan.end_reason == PlanEndReason.NO_LONGER_AT_RISK
    assert not Conference.objects.filter(status__in=["due", "booked"]).exists()


def test_ending_a_plan_cancels_the_next_review_and_its_meeting(child, iro_allocated):
    plan = plan_from_icpc(child, iro_allocated)
    rcpc = Conference.objects.get(kind=ConferenceKind.RCPC)
    meeting = book(rcpc, iro_allocated, date(2025, 7, 30))
    services.plan_end(plan=plan, end=date(2025, 6, 20), reason=PlanEndReason.LOOKED_AFTER)
    rcpc.refresh_from_db()
    meeting.refresh_from_db()
    assert rcpc.status == ConferenceStatus.CANCELLED
    assert meeting.status == MeetingStatus.CANCELLED
    cp = Allocation.objects.get(child=child, role=AllocationRole.CP)
    assert cp.end == date(2025, 6, 20)


def test_a_plan_cannot_end_before_it_started_or_twice(child, iro_allocated):
    plan = plan_from_icpc(child, iro_allocated)
    with pytest.raises(ValidationError):
        services.plan_end(plan=plan, end=date(2025, 4, 30), reason=PlanEndReason.MOVED)
    services.plan_end(plan=plan, end=date(2025, 6, 1), reason=PlanEndReason.MOVED)
    with pytest.raises(ValidationError):
        services.plan_end(plan=plan, end=date(2025, 6, 2), reason=PlanEndReason.MOVED)


def test_rescheduling_needs_a_head_of_service_decision(child, iro_allocated, head_of_service):
    icpc = icpc_due_for(child)
    book(icpc, iro_allocated, date(2025, 4, 29))
    # Neither the IRO nor an escalation responder below head of service can agree to it.
    social_work_manager = make_responder(ResponderLevel.SW_TEAM_MANAGER, username="sam")
    for agreed_by in (iro_allocated, social_work_manager):
        with pytest.raises(ValidationError) as error:
            services.conference_reschedule(
                conference=icpc,
                starts_at=at(date(2025, 5, 2)),
                reason="Chair ill",
                agreed_by=agreed_by,
                changed_by=iro_allocated,
            )
        assert "agreed_by" in error.value.message_dict
    services.conference_reschedule(
        conference=icpc,
        starts_at=at(date(2025, 5, 2)),
        reason="Chair ill",
        agreed_by=head_of_service,
        changed_by=iro_allocated,
    )
    change = MeetingChange.objects.get()
    assert change.agreed_by == head_of_service and change.reason == "Chair ill"
    icpc.refresh_from_db()
    assert icpc.meeting.starts_at == at(date(2025, 5, 2))


def test_cancelling_a_conference_cancels_its_meeting(child, iro_allocated):
    icpc = icpc_due_for(child)
    meeting = book(icpc, iro_allocated, date(2025, 4, 29))
    services.conference_cancel(
        conference=icpc, reason="Family moved away", changed_by=iro_allocated
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED


def test_core_groups_are_recorded_within_the_plan(child, iro_allocated):
    plan = plan_from_icpc(child, iro_allocated)
    with pytest.raises(ValidationError) as error:
        services.core_group_record(plan=plan, held_on=date(2025, 4, 30))
    assert "held_on" in error.value.message_dict
    services.core_group_record(plan=plan, held_on=date(2025, 5, 12))
    with pytest.raises(ValidationError):
        services.core_group_record(plan=plan, held_on=date(2025, 5, 12))
    assert plan.core_groups.count() == 1


def test_a_transfer_in_conference_is_due_15_working_days_after_notification(child, iro_allocated):
    conference = services.transfer_in_record(child=child, notified_on=date(2025, 4, 10))
    assert conference.due == date(2025, 5, 6)
    book(conference, iro_allocated, date(2025, 5, 2))
    services.conference_record_outcome(
        conference=conference, held_on=date(2025, 5, 2), outcome="cp_plan", category="SAB"
    )
    assert ProtectionPlan.objects.get().start == date(2025, 5, 2)


def test_a_looked_after_child_on_a_plan_is_dual(child, iro_allocated):
    CareEpisodeFactory(child=child, start=date(2025, 3, 1))
    plan_from_icpc(child, iro_allocated, held_on=date(2025, 5, 1))
    assert child_status_on(child, date(2025, 4, 30)) == ChildStatus.LOOKED_AFTER
    assert child_status_on(child, date(2025, 5, 1)) == ChildStatus.DUAL


def test_a_child_on_a_plan_only_has_cp_status_until_the_plan_ends(iro_allocated):
    child = ChildFactory()
    plan = plan_from_icpc(child, iro_allocated, held_on=date(2025, 5, 1))
    services.plan_end(plan=plan, end=date(2025, 9, 1), reason=PlanEndReason.NO_LONGER_AT_RISK)
    assert child_status_on(child, date(2025, 8, 31)) == ChildStatus.CP_PLAN
    assert child_status_on(child, date(2025, 9, 1)) == ChildStatus.NEITHER


def test_a_conference_held_on_another_day_moves_its_meeting_to_that_day(child, iro_allocated):
    icpc = icpc_due_for(child)
    book(icpc, iro_allocated, date(2025, 5, 1), hour=14)
    services.conference_record_outcome(
        conference=icpc, held_on=date(2025, 5, 2), outcome="cin_plan"
    )
    icpc.refresh_from_db()
    starts = timezone.localtime(icpc.meeting.starts_at)
    assert (starts.date(), starts.hour) == (date(2025, 5, 2), 14)
    assert MeetingChange.objects.filter(meeting=icpc.meeting).count() == 1
