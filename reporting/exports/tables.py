"""XLSX and CSV exports of a presented report (see ``reporting.presentation``).

Cells go through the service's one export helper, ``iro.exports``: typed text never reaches a
spreadsheet as a formula, numbers stay numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from iro.exports import escape_cell, workbook_bytes


def _raw(cell: dict):
    value = cell.get("value")
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if value is None:
        return None
    return escape_cell(str(cell.get("text") if cell.get("text") not in (None, "") else value))


def sheet_name(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip() or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def write_xlsx(meta: dict, sections: list[dict]) -> bytes:
    """A sheet about the report, then a sheet per section with every table; numbers stay numbers."""
    book = Workbook()
    about = book.active
    about.title = "About"
    used = {"about"}
    bold = Font(bold=True)
    about.append([escape_cell(meta["title"])])
    about["A1"].font = Font(bold=True, size=14)
    for line in meta.get("lines", []):
        about.append([escape_cell(line)])
    for section in sections:
        sheet = book.create_sheet(sheet_name(section["title"], used))
        sheet.append([escape_cell(section["title"])])
        sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
        if section.get("commentary"):
            sheet.append([escape_cell(section["commentary"])])
        for fig in section["figures"]:
            sheet.append([])
            sheet.append([escape_cell(f"{fig['id']} {fig['title']}")])
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=12)
            for table in fig["tables"]:
                sheet.append([escape_cell(h) for h in table["headers"]])
                for cell in sheet[sheet.max_row]:
                    cell.font = bold
                for row in table["rows"]:
                    values = [_raw(c) for c in row["cells"]]
                    if table.get("list"):
                        sheet.append(values)
                    else:
                        sheet.append([escape_cell(str(row["label"])), *values])
            if fig["result"].get("note"):
                sheet.append([escape_cell("Note: " + fig["result"]["note"])])
        sheet.column_dimensions["A"].width = 48
    return workbook_bytes(book)


CSV_HEADERS = ["Section", "Figure", "Title", "Table", "Row", "Column", "Value"]


def csv_rows(meta: dict, sections: list[dict]) -> Iterator[list]:
    """One line per number: section, figure, table, row and column, then the value (the heading
    line first). Written out by ``iro.exports.csv_response``, which escapes every cell."""
    yield CSV_HEADERS
    for section in sections:
        for fig in section["figures"]:
            for table in fig["tables"]:
                headers = table["headers"]
                offset = 0 if table.get("list") else 1
                for row in table["rows"]:
                    for i, cell in enumerate(row["cells"]):
                        value = _raw(cell)
                        if value is None:
                            continue
                        column = headers[i + offset] if i + offset < len(headers) else ""
                        yield [
                            section["title"],
                            fig["id"],
                            fig["title"],
                            table["caption"],
                            str(row["label"]),
                            column,
                            value,
                        ]
