"""Two writes to one child at the same moment: the child row lock lets one through, and the other
gets the same validation error it would get afterwards (not a database integrity error)."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from iro.models import Allocation, CareEpisode
from iro.services.allocations import allocation_allocate
from iro.services.episodes import care_start
from tests.iro.factories import ChildFactory

pytestmark = pytest.mark.django_db(transaction=True)


def race(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        except Exception as exc:  # noqa: BLE001 - recorded so the test shows what went wrong
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_two_simultaneous_starts_of_care_make_one_episode(db):
    child = ChildFactory()
    fields = dict(
        legal_status="C2", category_of_need="N1", placement_type="U4", placement_provider="PR1"
    )
    outcomes = race(
        lambda: care_start(child=child, start=date(2025, 3, 3), **fields),
        lambda: care_start(child=child, start=date(2025, 3, 4), **fields),
    )
    assert outcomes == ["ok", "refused"]
    assert CareEpisode.objects.filter(child=child).count() == 1


def test_two_managers_allocating_at_once_leave_one_open_allocation(db, iro_allocated, iro_other):
    child = ChildFactory()
    outcomes = race(
        lambda: allocation_allocate(child=child, iro=iro_allocated, role="cla"),
        lambda: allocation_allocate(child=child, iro=iro_other, role="cla"),
    )
    assert outcomes == ["ok", "refused"]
    assert Allocation.objects.filter(child=child, end__isnull=True).count() == 1
