"""A meeting set for after its due date is flagged "late" wherever meetings are listed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from iro.models import MeetingKind
from iro.rules import LATE_FLAG
from protection.models import ConferenceKind, ConferenceStatus
from reviews import selectors
from tests.iro.factories import MeetingFactory
from tests.protection.factories import ConferenceFactory, ProtectionPlanFactory
from tests.reviews.factories import at, booked_review

pytestmark = pytest.mark.django_db

LATE_TAG = 'data-testid="late"'


@pytest.fixture
def meetings(child, iro_allocated):
    """This week: a late review, an on-time review, and a late RCPC, all chaired by Alice."""
    monday = selectors.week_start(timezone.localdate())
    late_review = booked_review(
        chair=iro_allocated, child=child, due_date=monday, starts_at=at(monday + timedelta(1), 10)
    )
    booked_review(
        chair=iro_allocated,
        due_date=monday + timedelta(10),
        starts_at=at(monday + timedelta(2), 10),
    )
    plan = ProtectionPlanFactory(child=child, chair=iro_allocated)
    rcpc = ConferenceFactory(
        kind=ConferenceKind.RCPC,
        child=child,
        plan=plan,
        due=monday + timedelta(2),
        status=ConferenceStatus.BOOKED,
        meeting=MeetingFactory(
            kind=MeetingKind.RCPC,
            chair=iro_allocated,
            starts_at=at(monday + timedelta(3), 14),
            children=[child],
        ),
    )
    return late_review, rcpc


def test_the_late_flag_rule(meetings):
    late_review, rcpc = meetings
    assert late_review.is_late and rcpc.is_late


def test_the_iro_home_page_flags_late_meetings_in_my_work_and_the_conferences_panel(
    meetings, iro_allocated, login
):
    html = login(iro_allocated).get(reverse("home")).content.decode()
    my_work = html.split('data-testid="this-week"')[1].split("</table>")[0]
    assert my_work.count(LATE_FLAG) == 2  # the late review and the late RCPC, not the other
    conferences = html.split("Conferences</h2>")[1].split("</ul>")[0]
    assert conferences.count(LATE_TAG) == 1


def test_my_conferences_the_schedule_my_reviews_and_the_child_record_flag_late_meetings(
    meetings, child, iro_allocated, team_manager, login
):
    iro = login(iro_allocated)
    assert iro.get(reverse("protection:my_conferences")).content.decode().count(LATE_FLAG) == 1
    reviews = iro.get(reverse("reviews:list")).content.decode()
    assert reviews.count(LATE_TAG) == 1
    record = iro.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert record.count(LATE_TAG) == 2  # next review and the RCPC in the CP history
    schedule = login(team_manager).get(reverse("reviews:schedule")).content.decode()
    assert schedule.count(LATE_FLAG) == 2
