"""Publishing a board snapshot: choose the period from the months that have data, preview it as
the board will see it (small numbers suppressed), then publish. Publishing is the performance
officer's job; team managers and board members cannot."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from reporting import caching
from reporting.models import Snapshot
from tests.iro.factories import CareEpisodeFactory, ChildFactory

# A Monday in December: the last complete month is November 2026.
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        caching.invalidate()
        yield


def _in_care(n: int, start: date):
    for i in range(n):
        CareEpisodeFactory(child=ChildFactory(first_name=f"Pub{i}", last_name="Child"), start=start)


def test_the_form_offers_the_complete_months_with_data_newest_first(
    db, frozen, performance_officer, login
):
    _in_care(3, date(2026, 8, 15))
    response = login(performance_officer).get(reverse("reporting:snapshot-publish"))
    assert response.status_code == 200
    assert response.context["choices"]["months"] == [
        ("2026-11-30", "End of November 2026"),
        ("2026-10-31", "End of October 2026"),
        ("2026-09-30", "End of September 2026"),
        ("2026-08-31", "End of August 2026"),
    ]
    # The 2026/27 year has not ended: only 2025/26, which holds no data but has ended, is
    # not offered either, as it is before the first episode.
    assert response.context["choices"]["years"] == []
    body = response.content.decode()
    assert '<select class="govuk-select" id="id_as_at" name="as_at"' in body
    assert "commentary_" not in body  # no commentary boxes before the preview


def test_preview_shows_the_board_page_with_small_numbers_suppressed(
    db, frozen, performance_officer, login
):
    _in_care(3, date(2026, 8, 15))  # 3 children in care: 1 to 5 is withheld, shown as c
    client = login(performance_officer)
    response = client.get(
        reverse("reporting:snapshot-publish"), {"kind": "dashboard", "as_at": "2026-11-30"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Preview: not yet published" in body
    assert "Corporate Parenting Board dashboard, 30 November 2026" in body
    cla = '<section class="app-report-section" id="section-children_in_care"'
    section = body[body.index(cla) :]
    section = section[: section.index("</section>")]
    assert ">c<" in section and ">3<" not in section
    assert "Pub0" not in body
    assert Snapshot.objects.count() == 0  # previewing publishes nothing


def test_the_performance_officer_publishes_what_was_previewed(
    db, frozen, performance_officer, board_member, login
):
    _in_care(7, date(2026, 8, 15))
    response = login(performance_officer).post(
        reverse("reporting:snapshot-publish"),
        {"kind": "dashboard", "as_at": "2026-10-31", "commentary_children_in_care": "Stable."},
    )
    snapshot = Snapshot.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:snapshot", args=[snapshot.pk])
    assert (snapshot.as_at, snapshot.published_by) == (date(2026, 10, 31), performance_officer)
    assert (snapshot.period_start, snapshot.period_end) == (date(2026, 4, 1), date(2026, 10, 31))
    assert snapshot.commentary == {"children_in_care": "Stable."}
    assert snapshot.suppress_small_numbers is True
    board = login(board_member).get(reverse("reporting:board")).content.decode()
    assert "Stable." in board and "31 October 2026" in board


def test_an_annual_report_is_published_for_a_year_that_has_ended(
    db, frozen, performance_officer, login
):
    _in_care(6, date(2025, 5, 1))
    client = login(performance_officer)
    assert client.get(reverse("reporting:snapshot-publish")).context["choices"]["years"] == [
        ("2025", "2025/26")
    ]
    response = client.post(
        reverse("reporting:snapshot-publish"), {"kind": "annual", "year": "2025"}
    )
    assert response.status_code == 302
    snapshot = Snapshot.objects.get()
    assert snapshot.title == "IRO annual report 2025/26"
    assert (snapshot.period_end, snapshot.as_at) == (date(2026, 3, 31), date(2026, 3, 31))


def test_a_period_not_offered_is_refused_and_the_commentary_kept(
    db, frozen, performance_officer, login
):
    _in_care(3, date(2026, 8, 15))
    client = login(performance_officer)
    for data, field, message in [
        ({"kind": "dashboard", "as_at": "2026-12-31"}, "as_at", "Choose the month"),
        ({"kind": "dashboard", "as_at": "2026-07-31"}, "as_at", "Choose the month"),
        ({"kind": "dashboard", "as_at": "31/13/2026"}, "as_at", "Choose the month"),
        ({"kind": "annual", "year": "2026"}, "year", "Choose the reporting year"),
        ({"kind": "weekly"}, "kind", "Choose a board dashboard or an annual report"),
    ]:
        response = client.post(
            reverse("reporting:snapshot-publish"), {**data, "commentary_reviews": "Kept text"}
        )
        assert response.status_code == 400, data
        assert response.context["errors"] == {field: response.context["errors"][field]}
        assert message in response.content.decode()
        assert response.context["values"]["commentary"]["reviews"] == "Kept text"
    assert Snapshot.objects.count() == 0


@pytest.mark.parametrize("persona", ["team_manager", "board_member"])
def test_team_managers_and_board_members_cannot_publish(db, frozen, persona, request, login):
    _in_care(3, date(2026, 8, 15))
    client = login(request.getfixturevalue(persona))
    url = reverse("reporting:snapshot-publish")
    assert client.get(url).status_code == 403
    assert client.get(url, {"kind": "dashboard", "as_at": "2026-11-30"}).status_code == 403
    assert client.post(url, {"kind": "dashboard", "as_at": "2026-11-30"}).status_code == 403
    assert Snapshot.objects.count() == 0
