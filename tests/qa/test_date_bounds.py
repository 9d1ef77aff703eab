"""Nonsense dates are refused with a message, in forms and the API alike; odd meeting times are
warned about and booked once the user confirms."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from iro.models import Allocation, CareEpisode
from iro.rules import add_working_days, booking_time_warnings, latest_booking_day
from iro.services.allocations import allocation_allocate
from reviews.models import Recommendation, Review
from reviews.services import recommendation_add
from tests.iro.factories import CareEpisodeFactory, ChildFactory
from tests.qa.test_lost_updates import open_form, post_data
from tests.reviews.factories import ReviewFactory, held_review

pytestmark = pytest.mark.django_db

EPISODE = {
    "legal_status": "C2",
    "category_of_need": "N1",
    "placement_type": "U4",
    "placement_provider": "PR1",
}


def test_the_warning_rule_names_weekends_bank_holidays_and_out_of_hours():
    assert booking_time_warnings(datetime(2026, 11, 28, 3, 0)) == [
        "28 November 2026 is a Saturday",
        "03:00 is outside office hours (08:00 to 18:00)",
    ]
    assert booking_time_warnings(datetime(2026, 12, 25, 10, 0)) == [
        "25 December 2026 is a bank holiday (Christmas Day)"
    ]
    assert booking_time_warnings(datetime(2026, 12, 1, 18, 0)) == [
        "18:00 is outside office hours (08:00 to 18:00)"
    ]
    assert booking_time_warnings(datetime(2026, 12, 1, 8, 0)) == []
    assert booking_time_warnings(datetime(2026, 12, 1, 17, 59)) == []


def test_care_cannot_start_in_the_future_or_before_birth_on_the_api(team_manager, login):
    child = ChildFactory(date_of_birth=date(2023, 3, 1))
    client = login(team_manager)
    future = client.post(
        "/api/episodes/",
        {"child": child.pk, "start": "2098-01-05", **EPISODE},
        content_type="application/json",
    )
    assert future.status_code == 400
    assert future.json()["start"] == ["The date care started must be today or in the past"]
    before_birth = client.post(
        "/api/episodes/",
        {"child": child.pk, "start": "2022-12-01", **EPISODE},
        content_type="application/json",
    )
    assert before_birth.status_code == 400
    assert before_birth.json()["start"] == [
        "The date care started must be on or after the child's date of birth, 1 March 2023"
    ]
    assert not CareEpisode.objects.exists()
    assert not Review.objects.filter(child=child).exists()  # no review due in 2099 either


def test_care_starting_in_2099_is_refused_on_the_page(team_manager, login):
    child = ChildFactory(date_of_birth=date(2023, 3, 1))
    client = login(team_manager)
    url = reverse("children:care_start", args=[child.pk])
    response = client.post(
        url,
        post_data(open_form(client, url), start=date(2099, 1, 5), **EPISODE),
    )
    assert response.status_code == 400
    assert "The date care started must be today or in the past" in response.content.decode()
    assert not CareEpisode.objects.exists()


def test_an_allocation_cannot_run_from_before_birth_or_from_the_future(
    team_manager, iro_allocated, login
):
    child = ChildFactory(date_of_birth=date(2023, 3, 1))
    CareEpisodeFactory(child=child, start=date(2024, 1, 10))
    for start, message in [
        (date(1990, 1, 1), "on or after the child's date of birth, 1 March 2023"),
        (date(2099, 1, 1), "today or in the past"),
    ]:
        with pytest.raises(ValidationError) as error:
            allocation_allocate(child=child, iro=iro_allocated, role="cla", start=start)
        assert message in error.value.message_dict["start"][0]
    client = login(team_manager)
    url = reverse("children:allocate", args=[child.pk])
    page = client.post(
        url, post_data(open_form(client, url), iro=iro_allocated.pk, start=date(2099, 1, 1))
    )
    assert page.status_code == 400
    assert "The allocation start date must be today or in the past" in page.content.decode()
    assert not Allocation.objects.filter(child=child).exists()


@pytest.fixture
def due_review(child):
    CareEpisodeFactory(child=child, start=timezone.localdate() - timedelta(days=30))
    return ReviewFactory(child=child, due_date=timezone.localdate() + timedelta(days=40))


def test_a_review_cannot_be_booked_beyond_twelve_months(due_review, iro_allocated, login):
    client = login(iro_allocated)
    url = reverse("reviews:book", args=[due_review.pk])
    # The first working day past the horizon: a weekend or bank holiday would first be warned
    # about (a confirm box) before the horizon is checked, as on 24 December 2026, whose
    # 12-month horizon is followed by Christmas 2027.
    far = add_working_days(latest_booking_day(timezone.localdate()), 1)
    response = client.post(
        url,
        post_data(
            open_form(client, url),
            chair=iro_allocated.pk,
            meeting_date=far,
            start_time="10:00",
            duration="90",
            venue_type="school",
            late_reason="x",
        ),
    )
    assert response.status_code == 400
    assert "The review date must be within 12 months" in response.content.decode()
    due_review.refresh_from_db()
    assert due_review.status == "due"


def test_a_saturday_booking_at_3am_is_warned_about_and_booked_once_confirmed(
    due_review, iro_allocated, login
):
    client = login(iro_allocated)
    url = reverse("reviews:book", args=[due_review.pk])
    form = open_form(client, url)
    assert "confirm_time" not in form.helper.layout.get_field_names().__str__()
    saturday = timezone.localdate() + timedelta(days=(5 - timezone.localdate().weekday()) % 7 + 14)
    data = post_data(
        form,
        chair=iro_allocated.pk,
        meeting_date=saturday,
        start_time="03:00",
        duration="90",
        venue_type="school",
    )
    data.pop("confirm_time", None)
    warned = client.post(url, data)
    body = warned.content.decode()
    assert warned.status_code == 400
    assert f"{saturday:%-d %B %Y} is a Saturday" in body
    assert "03:00 is outside office hours" in body
    assert 'name="confirm_time"' in body  # the confirm box appears with the warning
    due_review.refresh_from_db()
    assert due_review.status == "due"
    confirmed = client.post(url, {**data, "confirm_time": "on"})
    assert confirmed.status_code == 302
    due_review.refresh_from_db()
    assert due_review.status == "booked"


def test_a_recommendation_cannot_be_due_in_2099(child, iro_allocated):
    review = held_review(chair=iro_allocated, child=child, held_on=date(2025, 3, 3))
    with pytest.raises(ValidationError) as error:
        recommendation_add(
            review=review, text="Life story", owner="SW", target_date=date(2099, 1, 1)
        )
    assert error.value.message_dict["target_date"] == [
        "The target date must be within 12 months of the review, by 3 March 2026"
    ]
    assert not Recommendation.objects.exists()
    ok = recommendation_add(
        review=review, text="Life story", owner="SW", target_date=date(2026, 3, 3)
    )
    assert ok.pk is not None
