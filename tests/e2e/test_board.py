"""A board member signs in, lands on the latest published dashboard, finds no child's identity
anywhere, and is refused every drill-down URL."""

import io
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from iro.roles import Role
from reporting.figures import REGISTRY
from reporting.models import Population
from reporting.services import snapshot_publish
from tests.iro.factories import CareEpisodeFactory, ChildFactory, make_user
from tests.reviews.factories import held_review

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "/tmp"))


def test_board_member_reads_the_latest_published_dashboard(
    page, live_server, sign_in, assert_accessible
):
    today = timezone.localdate()
    iro = make_user(Role.IRO, username="e2e-iro", first_name="Ian", last_name="Reid")
    manager = make_user(Role.TEAM_MANAGER, username="e2e-tm", first_name="Tess", last_name="Ward")
    children = []
    for i in range(9):
        child = ChildFactory(
            first_name=f"Quenby{i}", last_name=f"Marchbank{i}", la_child_id=f"QB{7000 + i}"
        )
        CareEpisodeFactory(child=child, start=today - timedelta(days=200 + 10 * i))
        children.append(child)
    for child in children[:6]:
        held_review(chair=iro, child=child, held_on=today - timedelta(days=20))
    Population.objects.create(year=today.year - 1, children_0_17=20_000)
    older = snapshot_publish(
        kind="dashboard",
        by=manager,
        as_at=today - timedelta(days=7),
        commentary={"reviews": "Older commentary."},
    )
    latest = snapshot_publish(
        kind="dashboard",
        by=manager,
        as_at=today,
        commentary={"children_in_care": "Numbers are steady this year."},
    )
    board = make_user(
        Role.BOARD_MEMBER, username="e2e-board", first_name="Brian", last_name="Bowes"
    )
    secrets = [v for c in children for v in (c.first_name, c.last_name, c.la_child_id)]

    sign_in(page, board)
    dashboard = page.get_by_test_id("board-dashboard")
    expect(dashboard.get_by_test_id("snapshot-caption")).to_contain_text(
        f"version {latest.version}"
    )
    expect(dashboard.get_by_test_id("snapshot-caption")).to_contain_text(f"{today:%-d %B %Y}")
    expect(page.get_by_test_id("commentary-children_in_care")).to_have_text(
        "Numbers are steady this year."
    )
    expect(page.locator("#figure-CLA-01 table").first).to_be_visible()
    assert page.locator("svg[role=img]").count() >= 1
    # Counts of 9 and 6 are shown; no number on the page links anywhere.
    cells = page.locator("#figure-CLA-01 table").first.locator("tbody tr").first.locator("td")
    expect(cells.nth(0)).to_have_text("9")
    assert page.locator("main table a").count() == 0
    page.screenshot(path=str(SCREENSHOTS / "board-dashboard.png"), full_page=True)
    assert_accessible(page)
    # The earlier snapshot is listed below the newest, each with a comparison beside it.
    earlier = page.get_by_test_id("earlier-snapshots")
    earlier.locator("summary").click()
    expect(earlier.locator("li")).to_have_count(1)
    expect(earlier.locator("li")).to_contain_text(f"{older.as_at:%-d %B %Y}")
    earlier.screenshot(path=str(SCREENSHOTS / "board-earlier-snapshots.png"))
    assert_accessible(page)
    earlier.get_by_role("link", name=f"Compare {older.as_at:%-d %B %Y} with this one").click()
    expect(page.get_by_test_id("compare-table")).to_contain_text("CLA-01")
    page.go_back()

    pages_seen = [page.content()]
    page.get_by_role("link", name="All published snapshots (2), and compare two").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Published snapshots")
    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text(f"{today:%-d %b %Y}")  # newest first
    assert_accessible(page)
    page.get_by_label("Earlier snapshot").select_option(str(older.pk))
    page.get_by_label("Later snapshot").select_option(str(latest.pk))
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_test_id("compare-table")).to_contain_text("CLA-01")
    assert_accessible(page)
    pages_seen.append(page.content())
    page.goto(f"{live_server.url}{reverse('reporting:snapshot', args=[latest.pk])}")
    pages_seen.append(page.content())
    assert_accessible(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="Download as a spreadsheet (XLSX)").click()
    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    cells_text = " ".join(
        str(c)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for c in row
        if c is not None
    )
    assert f"version {latest.version}" in cells_text
    with page.expect_download() as info:
        page.get_by_role("link", name="Download as a Word document (.docx)").click()
    doc = Document(io.BytesIO(Path(info.value.path()).read_bytes()))
    doc_text = " ".join(p.text for p in doc.paragraphs) + " ".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells
    )
    for text in [*pages_seen, cells_text, doc_text]:
        assert not [s for s in secrets if s in text]

    # Every drill-down URL is refused: each figure this year, and CLA-01 last year and by cell.
    year = today.year if today.month >= 4 else today.year - 1
    cla = reverse("reporting:figure-rows", args=["CLA-01", year])
    tried = [
        reverse("reporting:figure-rows", args=[fid, year])
        for fid, fig in REGISTRY.items()
        if fig.has_rows
    ] + [
        reverse("reporting:figure-rows", args=["CLA-01", year - 1]),
        f"{cla}?cell=denominator",
        f"{cla}?cell={today:%Y-%m}",
        f"{cla}?cell=M",
    ]
    for path in tried:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 403, path
        assert not [s for s in secrets if s in page.content()]
    for name in ("reporting:annual", "reporting:annual-xlsx"):
        assert page.goto(f"{live_server.url}{reverse(name, args=[year])}").status == 403
    assert page.goto(
        f"{live_server.url}{reverse('children:detail', args=[children[0].pk])}"
    ).status in (403, 404)
