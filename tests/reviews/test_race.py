"""Two bookings of one IRO's slot made at the same moment: exactly one succeeds."""

import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from iro.models import Meeting
from iro.roles import Role
from reviews.models import ReviewStatus
from reviews.services import review_book
from tests.iro.factories import ChildFactory, make_user
from tests.reviews.factories import ReviewFactory, at


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_bookings_of_one_iro_slot_let_exactly_one_through():
    iro = make_user(Role.IRO, username="racer")
    due = date(2030, 5, 31)
    reviews = [
        ReviewFactory(child=ChildFactory(), due_date=due, period_start=due - timedelta(days=28))
        for _ in range(2)
    ]
    barrier = threading.Barrier(2)
    outcomes: list = []

    def attempt(review, hour, minute):
        try:
            barrier.wait(timeout=10)
            review_book(
                review=review,
                chair=iro,
                starts_at=at(date(2030, 5, 20), hour, minute),
                venue_type="office",
                booked_by=iro,
                today=date(2030, 5, 1),
            )
            outcomes.append("booked")
        except ValidationError as error:
            outcomes.append(error.message_dict)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=attempt, args=(reviews[0], 10, 0)),
        threading.Thread(target=attempt, args=(reviews[1], 10, 30)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes.count("booked") == 1
    refused = next(o for o in outcomes if o != "booked")
    assert "is already booked" in refused["starts_at"][0]
    assert Meeting.objects.filter(chair=iro).count() == 1
    statuses = sorted(r.__class__.objects.get(pk=r.pk).status for r in reviews)
    assert statuses == [ReviewStatus.BOOKED, ReviewStatus.DUE]
