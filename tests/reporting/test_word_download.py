"""The annual report as a Word document: built by a Celery task (run here in-process, as the suite
runs every task), with a progress page that refreshes itself and the document for its requester
alone. The document is A4, opens with a table of contents field, repeats each table's header row
on every page, reads dates the UK way, formats through named styles and puts each section's
narrative at its start."""

import io

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from reporting.exports.word import write_docx
from reporting.models import ReportDownload, ReportDownloadStatus
from reporting.tasks import build_report_download
from tests.reporting.test_annual import starters_data  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

# 210 mm by 297 mm as Word stores them: 11,906 by 16,838 twentieths of a point (635 EMU each).
A4_WIDTH_EMU, A4_HEIGHT_EMU = 7_560_310, 10_692_130


@pytest.fixture
def built(starters_data, test_figures, performance_officer, login):  # noqa: F811
    client = login(performance_officer)
    started = client.get(reverse("reporting:annual-docx", args=[2024]))
    job = ReportDownload.objects.get()
    assert started.status_code == 302
    assert started.url == reverse("reporting:report-download", args=[job.pk])
    assert (job.user, job.year, job.status, job.progress) == (
        performance_officer,
        2024,
        "queued",
        0,
    )
    waiting = client.get(started.url)
    body = waiting.content.decode()
    assert "Waiting to start: 0% done." in body
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in body
    assert "js/report-download.js" in body
    status_url = reverse("reporting:report-download-status", args=[job.pk])
    assert client.get(status_url).json() == {
        "status": "queued",
        "status_label": "Waiting to start",
        "progress": 0,
        "finished": False,
    }
    file_url = reverse("reporting:report-download-file", args=[job.pk])
    assert client.get(file_url).url == started.url  # not ready: back to the progress page
    assert build_report_download(job.pk) == ReportDownloadStatus.DONE
    job.refresh_from_db()
    assert (job.progress, job.file_name) == (100, "iro-annual-report-2024-25.docx")
    ready = client.get(started.url).content.decode()
    assert 'http-equiv="refresh"' not in ready and file_url in ready
    assert client.get(status_url).json()["finished"] is True
    response = client.get(file_url)
    assert (
        response["Content-Disposition"] == 'attachment; filename="iro-annual-report-2024-25.docx"'
    )
    return job, Document(io.BytesIO(response.content))


def test_the_document_is_a4_with_a_contents_field_and_uk_dates(built):
    _job, doc = built
    for section in doc.sections:
        assert (section.page_width, section.page_height) == (A4_WIDTH_EMU, A4_HEIGHT_EMU)
    instructions = [t.text for t in doc.element.body.iter(qn("w:instrText"))]
    assert any(text.strip().startswith("TOC ") for text in instructions)
    update = doc.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"
    texts = [p.text for p in doc.paragraphs]
    assert "Reporting year 2024/25: 1 April 2024 to 31 March 2025" in texts
    assert not [t for t in texts if "2024-04-01" in t or "2025-03-31" in t]


def test_every_table_repeats_its_header_row_and_uses_named_styles(built):
    _job, doc = built
    assert len(doc.tables) >= 4
    for table in doc.tables:
        first = table.rows[0]._tr.trPr
        assert first is not None and first.find(qn("w:tblHeader")) is not None
        assert all(row._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None
                   for row in table.rows[1:])  # fmt: skip
        assert {p.style.name for c in table.rows[0].cells for p in c.paragraphs} == {
            "Table heading"
        }
        assert {p.style.name for r in table.rows[1:] for c in r.cells for p in c.paragraphs} <= {
            "Table text"
        }
    # No direct formatting: every run takes its look from its style.
    runs = [r for p in doc.paragraphs for r in p.runs] + [
        r for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs
        for r in p.runs
    ]  # fmt: skip
    assert runs and all(r.bold is None and r.font.size is None for r in runs)
    # Each chart is an image straight after the table of its numbers.
    assert len(doc.inline_shapes) >= 2


def test_the_narrative_opens_its_section():
    sections = [
        {"key": "children_in_care", "title": "Children in care", "figures": []},
        {"key": "reviews", "title": "Reviews", "figures": []},
    ]
    commentary = {"reviews": "Reviews held on time rose.\n\nParticipation held steady."}
    doc = Document(io.BytesIO(write_docx({"title": "Report"}, sections, commentary=commentary)))
    texts = [(p.style.name, p.text) for p in doc.paragraphs]
    at = texts.index(("Heading 1", "Reviews"))
    assert texts[at + 1 : at + 3] == [
        ("Report commentary", "Reviews held on time rose."),
        ("Report commentary", "Participation held steady."),
    ]
    first = texts.index(("Heading 1", "Children in care"))
    assert texts[first + 1] == ("Heading 1", "Reviews")


def test_a_build_is_its_requesters_alone(built, team_manager, head_of_service, login):
    job, _doc = built
    for user in (team_manager, head_of_service):
        client = login(user)
        for name in (
            "reporting:report-download",
            "reporting:report-download-file",
            "reporting:report-download-status",
        ):
            response = client.get(reverse(name, args=[job.pk]))
            assert response.status_code == 404, (user, name)
            assert b"PK" not in response.content[:2]


@pytest.mark.parametrize("persona", ["board_member", "iro_allocated", "administrator"])
def test_others_cannot_start_or_open_a_build(persona, personas, performance_officer, login):
    job = ReportDownload.objects.create(user=performance_officer, year=2024)
    client = login(personas[persona])
    assert client.get(reverse("reporting:annual-docx", args=[2024])).status_code == 403
    assert client.post(reverse("reporting:annual-docx", args=[2024])).status_code == 403
    for name in (
        "reporting:report-download",
        "reporting:report-download-file",
        "reporting:report-download-status",
    ):
        assert client.get(reverse(name, args=[job.pk])).status_code == 403, name
    assert ReportDownload.objects.count() == 1


def test_a_failed_build_says_so_and_keeps_nothing(performance_officer, login, monkeypatch):
    from reporting import report_downloads

    def broken(*args, **kwargs):
        raise RuntimeError("no figures")

    monkeypatch.setattr(report_downloads, "report_commentary", broken)
    job = ReportDownload.objects.create(user=performance_officer, year=2024)
    assert build_report_download(job.pk) == ReportDownloadStatus.FAILED
    job.refresh_from_db()
    assert job.content in (b"", memoryview(b"")) or bytes(job.content) == b""
    page = login(performance_officer).get(reverse("reporting:report-download", args=[job.pk]))
    assert "The document could not be built" in page.content.decode()
