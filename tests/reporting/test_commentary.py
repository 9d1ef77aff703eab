"""The head of service's commentary on the annual report: written per section and year, shown
in its section of the report, kept with its history; the performance officer reads it; nobody
else reaches the page."""

import pytest
from django.urls import reverse

from reporting.commentary import commentary_for, commentary_save
from reporting.models import COMMENTARY_MAX_LENGTH, ReportCommentary

pytestmark = pytest.mark.django_db
URL = reverse("reporting:annual-commentary", args=[2024, "reviews"])


def test_the_head_of_service_writes_a_sections_commentary_and_it_shows_in_the_report(
    head_of_service, login
):
    client = login(head_of_service)
    page = client.get(URL)
    assert page.status_code == 200
    assert "Commentary: Reviews" in page.content.decode()
    response = client.post(URL, {"text": "Reviews were on time.\r\n\r\nParticipation rose."})
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:annual", args=[2024]) + "#section-reviews"
    item = ReportCommentary.objects.get(year=2024, section_key="reviews")
    assert item.text == "Reviews were on time.\n\nParticipation rose."
    assert item.updated_by == head_of_service
    assert commentary_for(2024) == {"reviews": "Reviews were on time.\n\nParticipation rose."}
    assert commentary_for(2025) == {}  # kept per year

    report = client.get(reverse("reporting:annual", args=[2024])).content.decode()
    assert 'data-testid="commentary-reviews"' in report
    assert "<p>Reviews were on time.</p>" in report
    assert "Change the commentary" in report

    # A second edit is kept in the history; an empty text clears it from the report.
    client.post(URL, {"text": ""})
    item.refresh_from_db()
    assert item.text == "" and item.history.count() == 2
    assert commentary_for(2024) == {}


def test_too_long_a_commentary_is_refused_with_the_text_kept(head_of_service, login):
    text = "x" * (COMMENTARY_MAX_LENGTH + 1)
    response = login(head_of_service).post(URL, {"text": text})
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert f"Commentary must be {COMMENTARY_MAX_LENGTH:,} characters or fewer" in body
    assert text in body
    assert not ReportCommentary.objects.exists()


def test_an_unknown_section_or_year_is_not_found(head_of_service, login):
    client = login(head_of_service)
    assert (
        client.get(reverse("reporting:annual-commentary", args=[2024, "nope"])).status_code == 404
    )
    assert (
        client.get(reverse("reporting:annual-commentary", args=[1900, "reviews"])).status_code
        == 404
    )


def test_the_performance_officer_reads_but_does_not_write(
    head_of_service, performance_officer, login
):
    commentary_save(
        year=2024, section_key="reviews", text="Written by the head.", user=head_of_service
    )
    client = login(performance_officer)
    page = client.get(URL).content.decode()
    assert "Written by the head." in page and "<textarea" not in page
    assert client.post(URL, {"text": "Changed"}).status_code == 403
    assert commentary_for(2024) == {"reviews": "Written by the head."}
    report = client.get(reverse("reporting:annual", args=[2024])).content.decode()
    assert "Written by the head." in report and "Change the commentary" not in report


@pytest.mark.parametrize(
    "persona", ["iro_allocated", "team_manager", "board_member", "administrator"]
)
def test_other_roles_cannot_reach_the_commentary(persona, personas, login):
    client = login(personas[persona])
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"text": "Mine"}).status_code == 403
    assert not ReportCommentary.objects.exists()


def test_the_spreadsheet_holds_the_commentary_at_the_start_of_its_section(
    head_of_service, performance_officer, login
):
    import io

    from openpyxl import load_workbook

    commentary_save(year=2024, section_key="reviews", text="On time, mostly.", user=head_of_service)
    content = login(performance_officer).get(reverse("reporting:annual-xlsx", args=[2024])).content
    sheet = load_workbook(io.BytesIO(content))["Reviews"]
    assert [sheet["A1"].value, sheet["A2"].value] == ["Reviews", "On time, mostly."]
