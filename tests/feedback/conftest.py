from datetime import timedelta

import pytest
from django.utils import timezone

from feedback.models import FeedbackInvitation, Respondent
from reviews.services import review_record_outcome
from tests.iro.factories import CareEpisodeFactory
from tests.reviews.factories import at, booked_review


def record_outcome(review, user, *, held_on):
    return review_record_outcome(
        review=review,
        held_on=held_on,
        participation="PN1",
        child_attended=True,
        parents_attended=True,
        actual_venue="school",
        childs_views_considered=True,
        recorded_by=user,
    )


@pytest.fixture
def held(child, iro_allocated):
    """A review of `child` chaired by their IRO, held three days ago with parents invited: its
    outcome recorded through the service, which makes the feedback invitations."""
    held_on = timezone.localdate() - timedelta(days=3)
    CareEpisodeFactory(child=child, start=held_on - timedelta(days=20))
    review = booked_review(
        chair=iro_allocated,
        child=child,
        starts_at=at(held_on),
        due_date=held_on + timedelta(days=5),
        period_start=held_on - timedelta(days=20),
        parents_invited=True,
    )
    return record_outcome(review, iro_allocated, held_on=held_on)


@pytest.fixture
def invitation(held):
    return FeedbackInvitation.objects.get(meeting=held.meeting, respondent=Respondent.CHILD)
