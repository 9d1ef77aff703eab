"""No raw DfE code reaches a reader of the annual report: the page (its text, tables and
charts), the JSON, the CSV and the spreadsheet are walked for tokens that are a code of one of
the code lists (iro.codes.code_values) and not its label. Machine fields may keep codes: the
keys of the JSON (breakdown keys, ``breakdown_labels`` keys) and the CSV's "Breakdown" column,
beside which the label is given. Data: the crafted care histories and IRO workforce of the
figure tests, so that codes of sex, ethnicity, legal status, placement type, reason for leaving
and category of need are all there to be shown."""

import csv
import html
import io
import json
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from iro.codes import code_values
from tests.reporting import care_dataset, staff_dataset

pytestmark = pytest.mark.django_db
YEAR = 2024
CODES = {code for code in code_values() if not code.isdigit()}
# Codes of two characters or more are looked for inside any text; a single letter ("M", "F")
# only as a whole cell or label, where ordinary words cannot be it.
LONG_CODES = {code for code in CODES if len(code) >= 2}


def codes_in_text(text: str) -> set[str]:
    return {t for t in re.findall(r"\b[A-Z0-9]{2,6}\b", text) if t in LONG_CODES}


def codes_in_cell(value) -> set[str]:
    text = str(value if value is not None else "").strip()
    found = codes_in_text(text)
    if text in CODES:
        found.add(text)
    return found


@pytest.fixture
def report_data(db):
    care_dataset.build()
    staff_dataset.build()


def test_the_page_shows_no_raw_code(report_data, performance_officer, login):
    body = login(performance_officer).get(reverse("reporting:annual", args=[YEAR])).content
    page = body.decode()
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert codes_in_text(text) == set()
    # Every table cell, row label and chart label read whole (single-letter codes included).
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>|<text[^>]*>(.*?)</text>", page, re.S)
    shown = set()
    for cell in cells:
        shown |= codes_in_cell(html.unescape(re.sub(r"<[^>]+>", "", "".join(cell))))
    assert shown == set()
    # The labels are there instead.
    for label in ("White: British", "Full care order", "Female", "Male"):
        assert label in text


def _json_strings(value, path=""):
    """Every string value of the JSON with where it is; keys are machine fields."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _json_strings(item, f"{path}/{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _json_strings(item, f"{path}/{i}")
    elif isinstance(value, str):
        yield path, value


def test_the_downloads_show_no_raw_code_outside_machine_fields(
    report_data, performance_officer, login
):
    client = login(performance_officer)
    data = json.loads(client.get(reverse("reporting:annual-json", args=[YEAR])).content)
    found = {(p, v) for p, v in _json_strings(data) if codes_in_cell(v)}
    assert found == set()
    assert "C2" in data["figures"]["PLC-01"]["breakdown"]  # a key: kept for machines

    rows = list(
        csv.DictReader(
            io.StringIO(client.get(reverse("reporting:annual-csv", args=[YEAR])).content.decode())
        )
    )
    found = {
        (row["Figure id"], name, value)
        for row in rows
        for name, value in row.items()
        if name != "Breakdown" and codes_in_cell(value)
    }
    assert found == set()
    assert any(r["Breakdown"] == "WBRI" and r["Breakdown label"] == "White: British" for r in rows)

    book = load_workbook(
        io.BytesIO(client.get(reverse("reporting:annual-xlsx", args=[YEAR])).content)
    )
    found = {
        (sheet.title, cell.coordinate, cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and codes_in_cell(cell.value)
    }
    assert found == set()
