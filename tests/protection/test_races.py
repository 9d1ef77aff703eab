"""Two outcomes recorded at the same moment for one child cannot both start a plan."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from protection import services
from protection.models import ProtectionPlan
from tests.iro.factories import ChildFactory, make_user
from tests.protection.factories import ConferenceFactory, book

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_plan_outcomes_start_exactly_one_plan():
    from iro.roles import Role

    chair_a = make_user(Role.IRO, username="race-a")
    chair_b = make_user(Role.IRO, username="race-b")
    child = ChildFactory()
    # Two initial conferences for one child (as if imported twice), booked with two chairs.
    first = ConferenceFactory(child=child, due=date(2025, 5, 6))
    book(first, chair_a, date(2025, 5, 1))
    second = ConferenceFactory(child=child, kind="transfer_in", notified_on=date(2025, 4, 10))
    book(second, chair_b, date(2025, 5, 1))
    barrier = threading.Barrier(2)
    results = []

    def record(conference):
        try:
            barrier.wait()
            services.conference_record_outcome(
                conference=conference, held_on=date(2025, 5, 1), outcome="cp_plan", category="NEG"
            )
            results.append("plan")
        except ValidationError as error:
            results.append(error.message_dict.get("outcome", ["?"])[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [
        "This child is already on a plan covering that date: plans cannot overlap.",
        "plan",
    ]
    assert ProtectionPlan.objects.filter(child=child).count() == 1
