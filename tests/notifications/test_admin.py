"""Administrators see each rule run in the admin; other roles cannot, and nobody edits a run."""

from datetime import timedelta

import pytest
from django.utils import timezone

from iro.notifications.models import RuleRun

URL = "/admin/notifications/rulerun/"


@pytest.fixture
def run(db):
    now = timezone.now()
    return RuleRun.objects.create(
        rule="review_booking",
        schedule="daily",
        started_at=now,
        finished_at=now + timedelta(seconds=2),
        found=4,
        sent=3,
        sent_by_kind={"review_booking_missed": 1, "review_booking_soon": 2},
    )


def test_an_administrator_sees_when_each_rule_ran_and_what_it_sent(administrator, login, run):
    response = login(administrator).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "review_booking" in body
    assert "review_booking_missed: 1, review_booking_soon: 2" in body
    # Read-only: no add, and the change page cannot save.
    assert login(administrator).get(URL + "add/").status_code == 403
    response = login(administrator).post(f"{URL}{run.pk}/change/", {"sent": 99})
    assert response.status_code == 403
    run.refresh_from_db()
    assert run.sent == 3


@pytest.mark.parametrize(
    "persona", ["iro_allocated", "team_manager", "head_of_service", "board_member"]
)
def test_other_roles_cannot_see_rule_runs(personas, login, persona, run):
    response = login(personas[persona]).get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
