"""Double submissions: a create form sent twice makes one record; the repeat goes to it.

Each form is opened once (which gives it a one-off token) and sent twice with the same token, as
a double press or a resend after a slow answer would. The second answer is a redirect to the
record the first made, and the count of records is one.
"""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from escalations.models import Concern, Escalation
from iro.models import Allocation, Submission
from iro.rules import add_working_days
from protection.models import Conference
from reviews.models import IroContact, Review
from tests.escalations.factories import stage
from tests.iro.factories import CareEpisodeFactory, ChildFactory
from tests.qa.test_lost_updates import open_form, post_data
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sw_manager(db):
    from iro.models import ResponderLevel
    from tests.escalations.factories import make_responder

    return make_responder(ResponderLevel.SW_TEAM_MANAGER, username="sam")


def send_twice(client, url, data):
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    assert second.status_code == 302
    assert second.url == first.url
    return first.url


def test_a_concern_sent_twice_is_recorded_once(child, iro_allocated, login):
    client = login(iro_allocated)
    url = reverse("escalations:concern_new")
    form = open_form(client, url)
    assert form["submission_token"].value()  # a one-off token in a hidden field
    data = post_data(
        form,
        child=child.pk,
        raised_on=date(2025, 11, 3),
        category="drift_and_delay",
        description="Permanence plan drifting",
        raised_with="Social worker",
    )
    landed = send_twice(client, url, data)
    concern = Concern.objects.get()
    assert landed == reverse("escalations:concern", args=[concern.pk])
    # A new form (a new token) is a new concern.
    again = post_data(open_form(client, url), **{k: data[k] for k in ("child",)})
    assert again["submission_token"] != data["submission_token"]


def test_an_irp_sent_twice_is_raised_once(child, iro_allocated, sw_manager, login):
    client = login(iro_allocated)
    url = reverse("escalations:new")
    form = open_form(client, url + f"?child={child.pk}")
    data = post_data(
        form,
        children=[child.pk],
        category="drift_and_delay",
        summary="Family finding stalled",
        outcome_sought="A plan",
        stage=stage(1).pk,
        responder=sw_manager.pk,
    )
    landed = send_twice(client, url, data)
    assert Escalation.objects.count() == 1
    assert landed == reverse("escalations:detail", args=[Escalation.objects.get().pk])


def test_an_allocation_sent_twice_allocates_once(team_manager, iro_allocated, login):
    child = ChildFactory()
    CareEpisodeFactory(child=child)
    client = login(team_manager)
    url = reverse("children:allocate", args=[child.pk])
    data = post_data(open_form(client, url), iro=iro_allocated.pk, role="cla")
    send_twice(client, url, data)
    assert Allocation.objects.filter(child=child).count() == 1


def test_a_review_booking_and_a_visit_sent_twice_are_made_once(child, iro_allocated, login):
    CareEpisodeFactory(child=child, start=timezone.localdate() - timedelta(days=30))
    review = ReviewFactory(child=child, due_date=timezone.localdate() + timedelta(days=40))
    client = login(iro_allocated)
    url = reverse("reviews:book", args=[review.pk])
    # The booking form refuses weekends and bank holidays: the day comes from the service's calendar.
    day = add_working_days(timezone.localdate(), 15)
    data = post_data(
        open_form(client, url),
        chair=iro_allocated.pk,
        meeting_date=day,
        start_time="10:00",
        duration="90",
        venue_type="school",
        venue_detail="Room 4",
    )
    send_twice(client, url, data)
    review.refresh_from_db()
    assert review.status == "booked"
    assert Review.objects.get(pk=review.pk).meeting.chair == iro_allocated

    visit_url = reverse("reviews:contact_add", args=[child.pk])
    visit = post_data(
        open_form(client, visit_url),
        contact_on=timezone.localdate() - timedelta(days=1),
        kind="visit",
        notes="Saw Jamie at school",
    )
    send_twice(client, visit_url, visit)
    assert IroContact.objects.filter(child=child).count() == 1


def test_a_conference_booking_sent_twice_books_once(child, iro_allocated, login):
    from tests.protection.factories import icpc_due_for

    icpc = icpc_due_for(child, discussion_on=timezone.localdate() - timedelta(days=3))
    client = login(iro_allocated)
    url = reverse("protection:conference_book", args=[icpc.pk])
    day = add_working_days(timezone.localdate(), 5)
    data = post_data(
        open_form(client, url),
        chair=iro_allocated.pk,
        day=day,
        start_time="10:00",
        venue_type="office",
        reason_after_due="Family available then",
    )
    send_twice(client, url, data)
    assert Conference.objects.get(pk=icpc.pk).status == "booked"
    assert Submission.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_presses_at_the_same_moment_make_one_concern(child, iro_allocated):
    first, second = Client(), Client()
    first.force_login(iro_allocated)
    second.force_login(iro_allocated)
    url = reverse("escalations:concern_new")
    data = post_data(
        open_form(first, url),
        child=child.pk,
        raised_on=date(2025, 11, 3),
        category="drift_and_delay",
        description="Permanence plan drifting",
        raised_with="Social worker",
    )
    barrier = threading.Barrier(2)
    answers = []

    def press(client):
        try:
            barrier.wait()
            answers.append(client.post(url, data))
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0].url == answers[1].url
    assert Concern.objects.count() == 1


def test_every_page_loads_the_submit_once_script_from_a_static_file(iro_allocated, login):
    html = login(iro_allocated).get(reverse("escalations:concern_new")).content.decode()
    assert 'src="/static/js/submit-once.js"' in html


def test_a_new_child_and_a_strategy_discussion_sent_twice_are_recorded_once(
    team_manager, iro_allocated, child, login
):
    from iro.models import Child
    from protection.models import StrategyDiscussion

    client = login(team_manager)
    url = reverse("children:create")
    data = post_data(
        open_form(client, url),
        la_child_id="C555001",
        first_name="Noor",
        last_name="Hale",
        date_of_birth=date(2019, 4, 2),
        sex="F",
        ethnicity="WBRI",
    )
    send_twice(client, url, data)
    assert Child.objects.filter(la_child_id="C555001").count() == 1

    iro = login(iro_allocated)
    url = reverse("protection:strategy_discussion_add", args=[child.pk])
    data = post_data(
        open_form(iro, url), held_on=timezone.localdate() - timedelta(days=2), s47_started="no"
    )
    send_twice(iro, url, data)
    assert StrategyDiscussion.objects.filter(child=child).count() == 1


def test_starting_and_ending_care_sent_twice_are_recorded_once(team_manager, login):
    """A second press of "Start care" used to answer 400 (the child was by then in care) and of
    "End care" likewise; both now go to the child the first press changed."""
    from iro.models import CareEpisode

    child = ChildFactory(date_of_birth=date(2015, 3, 1))
    client = login(team_manager)
    start_url = reverse("children:care_start", args=[child.pk])
    started = post_data(
        open_form(client, start_url),
        start=timezone.localdate() - timedelta(days=60),
        legal_status="C2",
        category_of_need="N1",
        placement_type="U4",
        placement_provider="PR1",
    )
    assert started["submission_token"]
    landed = send_twice(client, start_url, started)
    assert landed == reverse("children:detail", args=[child.pk])
    assert CareEpisode.objects.filter(child=child).count() == 1

    end_url = reverse("children:care_end", args=[child.pk])
    ended = post_data(
        open_form(client, end_url), on=timezone.localdate() - timedelta(days=2), reason_ceased="E4A"
    )
    send_twice(client, end_url, ended)
    episode = CareEpisode.objects.get(child=child)
    assert (
        episode.end == timezone.localdate() - timedelta(days=2) and episode.reason_ceased == "E4A"
    )


def test_a_recommendation_sent_twice_is_added_once(child, iro_allocated, login):
    from reviews.models import Recommendation

    held = timezone.localdate() - timedelta(days=5)
    CareEpisodeFactory(child=child, start=timezone.localdate() - timedelta(days=200))
    review = ReviewFactory(
        child=child, status="held", held_on=held, due_date=held, participation="PN1"
    )
    client = login(iro_allocated)
    url = reverse("reviews:recommendation_add", args=[review.pk])
    data = post_data(
        open_form(client, url),
        text="Arrange life story work",
        owner="Social worker",
        target_date=timezone.localdate() + timedelta(days=30),
    )
    landed = send_twice(client, url, data)
    assert landed == reverse("reviews:detail", args=[review.pk])
    assert Recommendation.objects.filter(review=review).count() == 1
