""" "Record the outcome" is offered from the meeting's start time, not before, and every value the
form prefills passes validation: opened for a meeting that has just started and sent back
unchanged, it is refused only for the answers the IRO must give.

Time is frozen: the review meeting is on Wednesday 22 April 2026 at 10:00 (London).
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.forms import MultiWidget
from django.urls import reverse

from protection.models import ConferenceStatus
from reviews.models import ReviewStatus
from tests.protection.factories import book, icpc_due_for
from tests.reviews.factories import at, booked_review

LONDON = ZoneInfo("Europe/London")
DAY = date(2026, 4, 22)
START = datetime.combine(DAY, time(10, 0), tzinfo=LONDON)
# What the IRO answers on the review outcome form; nothing prefilled is here.
MUST_FILL = {
    "participation",
    "child_attended",
    "parents_attended",
    "childs_views_considered",
    "safeguarding_issue",
    "child_seen_before",  # prefilled only once recorded before the review
}


def prefilled(form) -> dict:
    """The form's prefilled values as the browser sends them back."""
    data = {}
    for name, bound in form._bound_items():
        value = bound.value()
        widget = bound.field.widget
        if isinstance(widget, MultiWidget):
            for i, part in enumerate(widget.decompress(value)):
                data[f"{name}_{i}"] = "" if part is None else str(part)
        elif value not in (None, "", []):
            data[name] = value
    return data


@pytest.fixture
def review(child, iro_allocated):
    with time_machine.travel(START - timedelta(days=7), tick=False):
        return booked_review(chair=iro_allocated, child=child, starts_at=at(DAY, 10))


def test_before_the_start_the_outcome_is_not_offered(review, iro_allocated, login):
    with time_machine.travel(START - timedelta(minutes=1), tick=False):
        client = login(iro_allocated)
        detail = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
        assert reverse("reviews:outcome", args=[review.pk]) not in detail
        assert (
            "You can record the outcome from the start of the meeting, 22 April 2026, 10:00"
            in detail
        )
        page = client.get(reverse("reviews:outcome", args=[review.pk]))
        assert page.status_code == 200
        assert "form" not in page.context or page.context.get("form") is None
        assert "You can record its outcome from then" in page.content.decode()
        sent = client.post(
            reverse("reviews:outcome", args=[review.pk]),
            {"held_on_0": "22", "held_on_1": "4", "held_on_2": "2026", "participation": "PN1"},
        )
        assert sent.status_code == 400
    review.refresh_from_db()
    assert review.status == ReviewStatus.BOOKED


def test_from_the_start_the_prefilled_values_pass_and_only_the_iros_answers_are_asked(
    review, iro_allocated, login
):
    with time_machine.travel(START + timedelta(minutes=1), tick=False):
        client = login(iro_allocated)
        detail = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
        assert reverse("reviews:outcome", args=[review.pk]) in detail
        page = client.get(reverse("reviews:outcome", args=[review.pk]))
        assert page.status_code == 200
        data = prefilled(page.context["form"])
        assert (data["held_on_0"], data["held_on_1"], data["held_on_2"]) == ("22", "4", "2026")
        sent = client.post(reverse("reviews:outcome", args=[review.pk]), data)
        assert sent.status_code == 400
        errors = set(sent.context["form"].errors)
        assert errors == MUST_FILL
        assert not errors & set(data)  # no prefilled value is refused
        answers = {
            "participation": "PN1",
            "child_attended": "yes",
            "parents_attended": "yes",
            "childs_views_considered": "yes",
            "safeguarding_issue": "no",
            "child_seen_before": "yes",
        }
        done = client.post(reverse("reviews:outcome", args=[review.pk]), {**data, **answers})
        assert done.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.held_on) == (ReviewStatus.HELD, DAY)


def test_a_conference_outcome_is_offered_from_its_start_with_a_date_that_passes(
    child, iro_allocated, login
):
    with time_machine.travel(datetime(2025, 4, 14, 9, tzinfo=LONDON), tick=False):
        icpc = icpc_due_for(child)
        book(icpc, iro_allocated, date(2025, 4, 24), hour=14)
    url = reverse("protection:conference_outcome", args=[icpc.pk])
    with time_machine.travel(datetime(2025, 4, 24, 13, 59, tzinfo=LONDON), tick=False):
        client = login(iro_allocated)
        detail = client.get(reverse("protection:conference_detail", args=[icpc.pk]))
        assert url not in detail.content.decode()
        page = client.get(url)
        assert "You can record its outcome from then" in page.content.decode()
    with time_machine.travel(datetime(2025, 4, 24, 14, 1, tzinfo=LONDON), tick=False):
        client = login(iro_allocated)
        detail = client.get(reverse("protection:conference_detail", args=[icpc.pk]))
        assert url in detail.content.decode()
        page = client.get(url)
        data = prefilled(page.context["form"])
        sent = client.post(url, data)
        assert sent.status_code == 400
        assert "held_on" not in sent.context["form"].errors
        assert "outcome" in sent.context["form"].errors
        done = client.post(url, {**data, "outcome": "nfa"})
        assert done.status_code == 302, done.content.decode()[:3000]
    icpc.refresh_from_db()
    assert icpc.status == ConferenceStatus.HELD
