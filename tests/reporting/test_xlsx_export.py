"""The annual report's Excel download: a contents sheet linking to a sheet per section, sheet
names shortened at word boundaries and unique, frozen header rows and label column, column
widths, and percentages stored as numbers formatted as percentages."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reporting.annual_data import build_report
from reporting.exports.tables import sheet_name, write_xlsx
from reporting.figures import Period
from reporting.presentation import fmt
from tests.iro.factories import CareEpisodeFactory, ChildFactory

YEAR = Period.year(2024)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Children in care", "Children in care"),
        # 32 characters: "and" written "&" fits it, whole.
        ("Monitoring and quality assurance", "Monitoring & quality assurance"),
        # Too long even so: cut after the last whole word, not on "and".
        ("Reviews of children in care and their participation", "Reviews of children in care"),
        ("Dispute resolution: escalations/IRPs", "Dispute resolution escalations"),
    ],
)
def test_sheet_names_are_whole_words_within_31_characters(title, expected):
    assert sheet_name(title, set()) == expected
    assert len(expected) <= 31


def test_sheet_names_stay_unique_and_whole():
    used: set[str] = set()
    names = [
        sheet_name(t, used)
        for t in [
            "Reviews of children in care and their participation",
            "Reviews of children in care and their plans",
            "Reviews of children in care",
        ]
    ]
    assert names == [
        "Reviews of children in care",
        "Reviews of children in care (2)",
        "Reviews of children in care (3)",
    ]


def _cell(value, *, percent=False):
    return {"value": value, "text": fmt(value, percent=percent), "url": ""}


def _section(title, rows):
    table = {"caption": title, "headers": ["Measure", "2024/25", "2023/24"], "rows": rows}
    return {
        "key": title.lower(),
        "title": title,
        "figures": [{"id": "REV-03", "title": "Reviews on time", "tables": [table], "result": {}}],
    }


def test_percentages_are_fractions_formatted_as_percentages():
    sections = [
        _section(
            "Reviews of children in care and their participation",
            [
                {"label": "On time", "cells": [_cell(93.5, percent=True), _cell(89, percent=True)]},
                {"label": "Counted", "cells": [_cell(198), _cell(1234.5)]},
                {"label": "Suppressed", "cells": [{"value": "c", "text": "c"}, _cell(None)]},
            ],
        ),
        _section("Children in care", [{"label": "Children", "cells": [_cell(6), _cell(7)]}]),
    ]
    book = load_workbook(io.BytesIO(write_xlsx({"title": "Report", "lines": ["x"]}, sections)))
    assert book.sheetnames == ["Contents", "Reviews of children in care", "Children in care"]
    sheet = book["Reviews of children in care"]
    rows = {r[0].value: r for r in sheet.iter_rows() if r[0].value}
    on_time = rows["On time"]
    assert (on_time[1].value, on_time[1].number_format) == (0.935, "0.0%")
    assert (on_time[2].value, on_time[2].number_format) == (0.89, "0.0%")
    counted = rows["Counted"]
    assert (counted[1].value, counted[1].number_format) == (198, "#,##0")
    assert (counted[2].value, counted[2].number_format) == (1234.5, "#,##0.0")
    assert rows["Suppressed"][1].value == "c"
    # One table on the sheet: its header row and the label column stay in view.
    header_row = next(r[0].row for r in sheet.iter_rows() if r[0].value == "Measure")
    assert sheet.freeze_panes == f"B{header_row + 1}"
    assert sheet.column_dimensions["A"].width >= 24
    assert sheet.column_dimensions["B"].width >= 10


def test_annual_xlsx_has_contents_links_frozen_panes_and_percent_formats(
    db, performance_officer, login
):
    for i, start in enumerate([date(2024, 4, 3), date(2024, 6, 1), date(2024, 9, 9)]):
        CareEpisodeFactory(child=ChildFactory(first_name=f"Xl{i}"), start=start)
    response = login(performance_officer).get(reverse("reporting:annual-xlsx", args=[2024]))
    book = load_workbook(io.BytesIO(response.content))
    report = build_report(YEAR)
    titles = [s["title"] for s in report["sections"]]
    assert book.sheetnames[0] == "Contents" and len(book.sheetnames) == len(titles) + 1
    for name, title in zip(book.sheetnames[1:], titles, strict=True):
        assert len(name) <= 31
        # Whole words of the title, in order ("and" may be written "&"), possibly numbered.
        words = title.replace(":", " ").replace("/", " ").lower().split()
        shown = name.split(" (")[0].replace(" & ", " and ").lower().split()
        assert shown == words[: len(shown)], (name, title)
        assert book[name].freeze_panes is not None
    contents = book["Contents"]
    links = {
        c.value: c.hyperlink.location for row in contents.iter_rows() for c in row if c.hyperlink
    }
    assert links == {name: f"'{name}'!A1" for name in book.sheetnames[1:]}
    # Every percentage in the workbook is a fraction formatted as a percentage: the PCT
    # figures' headline values, against the report's own numbers.
    pct = [
        (entry["title"], entry["result"]["value"])
        for section in report["sections"]
        for entry in section["figures"]
        if entry["kind"] == "PCT" and isinstance(entry["result"].get("value"), int | float)
    ]
    assert pct, "the data must give at least one percentage"
    found = {}
    for sheet in book.worksheets[1:]:
        for row in sheet.iter_rows():
            if row[0].value in {title for title, _ in pct} and len(row) > 1:
                found[row[0].value] = (row[1].value, row[1].number_format)
    for title, value in pct:
        assert found[title] == (pytest.approx(value / 100), "0.0%"), title
    texts = [c.value for s in book.worksheets for r in s.iter_rows() for c in r]
    assert not [t for t in texts if isinstance(t, str) and t.endswith("%") and t[:-1].isdigit()]
