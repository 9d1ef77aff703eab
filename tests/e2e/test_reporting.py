"""A performance officer reads the 2024/25 annual report, follows a number to the children behind
it, and downloads the spreadsheet and the Word document, which hold the page's numbers."""

import io
import os
import re
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from iro.roles import Role
from reporting.figures import REGISTRY, SECTIONS
from reporting.models import Population, ReportDownload
from reporting.tasks import build_report_download
from tests.iro.factories import CareEpisodeFactory, ChildFactory, make_user
from tests.reporting.conftest import test_figures  # noqa: F401  (test-only figures)
from tests.reviews.factories import held_review

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "/tmp"))


def _dataset():
    """Children in care across two years, reviews held, and a population for rates."""
    iro = make_user(Role.IRO, username="e2e-iro", first_name="Ian", last_name="Reid")
    children = []
    for i, (sex, start) in enumerate(
        [
            ("F", date(2023, 6, 1)),
            ("M", date(2023, 11, 20)),
            ("F", date(2024, 4, 8)),
            ("M", date(2024, 7, 1)),
            ("F", date(2024, 10, 14)),
            ("F", date(2025, 2, 3)),
        ]
    ):
        child = ChildFactory(sex=sex, first_name=f"Rowan{i}", last_name="Ashby")
        CareEpisodeFactory(child=child, start=start)
        children.append(child)
    for child, held in [(children[0], date(2024, 5, 2)), (children[1], date(2024, 9, 9))]:
        held_review(chair=iro, child=child, held_on=held)
    Population.objects.create(year=2024, children_0_17=20_000)
    return children


def _page_numbers(page) -> dict:
    """Figure id -> (this year, last year) as the page's headline tables write them."""
    out = {}
    for section in page.locator(".app-report-figure").all():
        fid = section.get_attribute("data-figure")
        cells = section.locator("table").first.locator("tbody tr").first.locator("td")
        out[fid] = tuple(_as_text(cells.nth(i).get_attribute("data-value")) for i in (0, 1))
    return out


def _as_text(value):
    """A number as a float (a spreadsheet keeps 75.0 as 75), anything else as text."""
    if value in (None, ""):
        return ""
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def test_performance_officer_reads_the_annual_report_and_downloads_it(
    page,
    live_server,
    sign_in,
    assert_accessible,
    test_figures,  # noqa: F811
):
    children = _dataset()
    officer = make_user(
        Role.PERFORMANCE_OFFICER, username="e2e-perf", first_name="Priya", last_name="Patel"
    )
    sign_in(page, officer)
    page.get_by_role("link", name="IRO annual report 2024/25").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("IRO annual report 2024/25")
    # The full report is a long page: read its sections once the whole document has arrived.
    page.wait_for_load_state("load")

    shown = [h.inner_text() for h in page.locator("section.app-report-section > h2").all()]
    expected = [SECTIONS[k] for k in SECTIONS if any(f.section == k for f in REGISTRY.values())]
    assert shown == expected
    # Each figure's tables and charts are one click away, closed at first.
    for section in page.locator("section.app-report-section").all():
        expect(section.locator("details").first).to_be_visible()
        expect(section.locator("table").first).to_be_hidden()
    assert page.locator("svg[role=img]").count() >= 3
    numbers = _page_numbers(page)
    assert numbers["CLA-01"] == (6, 2)  # four start in the year; two were in care already
    assert numbers["REV-01"] == (2, 0)
    assert numbers["TST-01"] == (4, 2)
    assert numbers["TST-02"] == (75.0, 50.0)
    page.screenshot(path=str(SCREENSHOTS / "annual-report.png"), full_page=True)
    assert_accessible(page)

    # Follow the number of children looked after on 31 March to the children.
    page.locator("#figure-CLA-01 details summary").click()
    page.locator("#figure-CLA-01 table").first.get_by_role("link", name="6").first.click()
    expect(page.get_by_test_id("row-count")).to_contain_text("6 records listed")
    for child in children:
        expect(page.get_by_role("cell", name=child.la_child_id)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Ashby")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ashby")
    page.go_back()
    page.go_back()

    page.get_by_text("Download this report or work the figures out again").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download as a spreadsheet (XLSX)").click()
    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    xlsx = {}
    for sheet in book.worksheets[1:]:
        rows = list(sheet.iter_rows())
        for i, row in enumerate(rows):
            if row[0].value and str(row[0].value).split(" ")[0] in numbers:
                # A percentage is stored as a fraction formatted as a percentage (75% is 0.75).
                value_row = [
                    round(c.value * 100, 1) if c.number_format == "0.0%" else c.value
                    for c in rows[i + 2]
                ]
                key = str(row[0].value).split(" ")[0]
                xlsx[key] = (_as_text(value_row[1]), _as_text(value_row[2]))
    assert xlsx == numbers

    # The Word document is built in the background: its page shows the progress, and the
    # Celery task (run here in-process) builds it; the page then offers it.
    page.get_by_role("link", name="Download as a Word document (.docx)").click()
    expect(page.get_by_test_id("report-download-status")).to_contain_text("% done")
    assert_accessible(page)
    job = ReportDownload.objects.get()
    assert build_report_download(job.pk) == "done"
    page.reload()
    assert_accessible(page)
    page.screenshot(path=str(SCREENSHOTS / "word-download-ready.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_test_id("report-download-file").click()
    doc = Document(io.BytesIO(Path(info.value.path()).read_bytes()))
    page.get_by_role("link", name="Back to the annual report").click()
    headings = [p.text.split(" ")[0] for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert headings == list(numbers)
    # Each figure's headline table: Measure, this year, last year, target, RAG.
    first_rows = [
        t.rows[1].cells
        for t in doc.tables
        if [c.text for c in t.rows[0].cells][:5]
        == ["Measure", "2024/25", "2023/24", "Target", "RAG"]
    ]
    docx = {
        fid: (cells[1].text, cells[2].text) for fid, cells in zip(headings, first_rows, strict=True)
    }
    page_text = {
        fid: tuple(
            page.locator(f"#figure-{fid} table")
            .first.locator("tbody tr")
            .first.locator("td")
            .nth(i)
            .text_content()
            .strip()  # read in closed details too
            for i in (0, 1)
        )
        for fid in numbers
    }
    assert docx == page_text
    assert len(doc.inline_shapes) >= 3
