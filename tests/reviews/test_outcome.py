"""Recording the outcome, the review record's milestones, and the work between reviews."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from iro.models import Meeting, MeetingStatus
from reviews.models import Recommendation, Review, ReviewStatus
from reviews.services import (
    contact_record,
    midway_review_record,
    monitoring_check_record,
    recommendation_add,
    review_record_milestones,
    review_record_outcome,
    review_record_preparation,
)
from tests.iro.factories import CareEpisodeFactory
from tests.reviews.factories import at, booked_review

pytestmark = pytest.mark.django_db


def outcome(review, user, **overrides):
    values = dict(
        held_on=date(2023, 5, 30),
        participation="PN1",
        child_attended=True,
        parents_attended=False,
        professionals_attended="Social worker, teacher",
        actual_venue="school",
        permanence_plan_type="long_term_fostering",
        permanence_track="single",
        childs_views_considered=True,
        recorded_by=user,
        today=date(2023, 6, 1),
    )
    values.update(overrides)
    return review_record_outcome(review=review, **values)


@pytest.fixture
def first_review(child, iro_allocated):
    CareEpisodeFactory(child=child, start=date(2023, 4, 28))
    return booked_review(
        chair=iro_allocated,
        child=child,
        starts_at=at(date(2023, 5, 30)),
        due_date=date(2023, 5, 31),
        period_start=date(2023, 4, 28),
    )


def test_recording_the_outcome_marks_it_held_and_creates_the_next_review(
    first_review, iro_allocated
):
    review = outcome(
        first_review,
        iro_allocated,
        recommendations=[
            {"text": "Life story work", "owner": "Social worker", "target_date": date(2023, 7, 1)}
        ],
    )
    assert review.status == ReviewStatus.HELD
    assert review.in_timescale is True
    assert review.meeting.status == MeetingStatus.HELD
    assert Recommendation.objects.filter(review=review).count() == 1
    nxt = Review.objects.get(child=review.child, status=ReviewStatus.DUE)
    assert (nxt.sequence, nxt.due_date) == ("second", date(2023, 8, 30))


def test_a_review_held_after_its_due_date_is_out_of_timescale(first_review, iro_allocated):
    review = outcome(first_review, iro_allocated, held_on=date(2023, 6, 1))
    assert review.in_timescale is False


def test_pn0_is_refused_for_a_child_aged_4_or_more(first_review, iro_allocated):
    # The child was born 15 Jun 2015: 7 on the review date.
    with pytest.raises(ValidationError) as error:
        outcome(first_review, iro_allocated, participation="PN0")
    assert "PN0 is only for a child under 4" in error.value.message_dict["participation"][0]
    first_review.refresh_from_db()
    assert first_review.status == ReviewStatus.BOOKED
    assert not Review.objects.filter(child=first_review.child, status="due").exists()


def test_a_child_under_4_must_be_recorded_as_pn0(first_review, iro_allocated):
    child = first_review.child
    child.date_of_birth = date(2020, 1, 1)
    child.save()
    with pytest.raises(ValidationError) as error:
        outcome(first_review, iro_allocated, participation="PN6")
    assert "must be PN0" in error.value.message_dict["participation"][0]
    assert outcome(first_review, iro_allocated, participation="PN0").participation == "PN0"


def test_an_outcome_cannot_be_dated_in_the_future_or_before_care_started(
    first_review, iro_allocated
):
    with pytest.raises(ValidationError) as error:
        outcome(first_review, iro_allocated, held_on=date(2023, 6, 2))
    assert "held_on" in error.value.message_dict
    with pytest.raises(ValidationError):
        outcome(first_review, iro_allocated, held_on=date(2023, 4, 27))


def test_a_track_needs_a_permanence_plan_type(first_review, iro_allocated):
    with pytest.raises(ValidationError) as error:
        outcome(first_review, iro_allocated, permanence_plan_type="", permanence_track="twin")
    assert "permanence_plan_type" in error.value.message_dict


def test_milestones_must_fall_between_the_review_and_today(first_review, iro_allocated):
    review = outcome(first_review, iro_allocated)
    with pytest.raises(ValidationError) as error:
        review_record_milestones(
            review=review,
            manager_informed_on=date(2023, 5, 29),
            record_completed_on=date(2023, 6, 20),
            record_distributed_on=None,
            today=date(2023, 6, 10),
        )
    assert set(error.value.message_dict) == {"manager_informed_on", "record_completed_on"}
    review = review_record_milestones(
        review=review,
        manager_informed_on=date(2023, 6, 1),
        record_completed_on=date(2023, 6, 9),
        record_distributed_on=None,
        today=date(2023, 6, 10),
    )
    assert review.record_completed_on == date(2023, 6, 9)


def test_preparation_records_the_report_and_the_visit(first_review):
    review = review_record_preparation(
        review=first_review,
        sw_report_received_on=date(2023, 5, 24),
        child_seen_before=True,
        parents_invited=True,
        today=date(2023, 5, 25),
    )
    assert (review.sw_report_received_on, review.child_seen_before) == (date(2023, 5, 24), True)


def test_recommendations_need_a_target_on_or_after_the_review(first_review, iro_allocated):
    review = outcome(first_review, iro_allocated)
    with pytest.raises(ValidationError):
        recommendation_add(review=review, text="x", owner="SW", target_date=date(2023, 5, 1))
    rec = recommendation_add(
        review=review, text="PEP", owner="Virtual school", target_date=date(2023, 9, 1)
    )
    assert rec.done is False


def test_a_monitoring_check_that_finds_a_standard_not_met_needs_the_issues(child, iro_allocated):
    with pytest.raises(ValidationError) as error:
        monitoring_check_record(
            child=child,
            iro=iro_allocated,
            checked_on=date(2024, 1, 5),
            plan_up_to_date=True,
            plan_smart=False,
            assessment_current=True,
            voice_of_child=True,
            today=date(2024, 1, 6),
        )
    assert "issues_found" in error.value.message_dict
    check = monitoring_check_record(
        child=child,
        iro=iro_allocated,
        checked_on=date(2024, 1, 5),
        plan_up_to_date=True,
        plan_smart=False,
        assessment_current=True,
        voice_of_child=True,
        issues_found="Outcomes have no dates",
        today=date(2024, 1, 6),
    )
    assert check.all_met is False


def test_a_midway_review_off_track_needs_notes_and_contacts_cannot_be_in_the_future(
    child, iro_allocated
):
    with pytest.raises(ValidationError):
        midway_review_record(
            child=child,
            iro=iro_allocated,
            held_on=date(2024, 1, 5),
            plan_on_track=False,
            recommendations_progressing=True,
            today=date(2024, 1, 6),
        )
    with pytest.raises(ValidationError):
        contact_record(
            child=child,
            iro=iro_allocated,
            contact_on=date(2024, 1, 7),
            kind="visit",
            today=date(2024, 1, 6),
        )
    contact = contact_record(
        child=child,
        iro=iro_allocated,
        contact_on=date(2024, 1, 5),
        kind="phone",
        seen_alone=True,
        today=date(2024, 1, 6),
    )
    assert contact.seen_alone is None  # a phone call does not see the child


def test_a_review_held_on_another_day_moves_its_meeting_to_the_held_day(
    first_review, iro_allocated
):
    booked = timezone.localtime(first_review.meeting.starts_at)
    review = outcome(first_review, iro_allocated, held_on=date(2023, 6, 1))
    meeting = Meeting.objects.get(pk=review.meeting_id)
    moved = timezone.localtime(meeting.starts_at)
    assert moved.date() == date(2023, 6, 1)
    assert moved.time() == booked.time()
    assert meeting.ends_at - meeting.starts_at == timedelta(minutes=90)
    change = meeting.changes.get()
    assert timezone.localtime(change.previous_starts_at).date() == date(2023, 5, 30)
    assert change.changed_by == iro_allocated


def test_a_review_held_on_the_booked_day_keeps_its_meeting(first_review, iro_allocated):
    starts_at = first_review.meeting.starts_at
    review = outcome(first_review, iro_allocated, held_on=date(2023, 5, 30))
    meeting = Meeting.objects.get(pk=review.meeting_id)
    assert meeting.starts_at == starts_at
    assert meeting.changes.count() == 0
