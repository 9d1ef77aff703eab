"""Spreadsheet exports (CSV and XLSX) that cannot carry a formula into the reader's spreadsheet.

Every export of the service writes its cells through this module. A cell that someone typed
(a child's name, a venue, a note) may start with a character that Excel, LibreOffice or Google
Sheets read as the start of a formula: `=HYPERLINK(...)` in a first name becomes a live link, and
worse. OWASP's CSV injection guidance: prefix any cell that starts with `=`, `+`, `-`, `@`, a
tab, a carriage return or a line feed with a single quote, so the spreadsheet shows it as text; the CSV writer
quotes cells holding separators or quotes. XLSX cells are also written as strings, never as
formulas. Numbers, dates and booleans pass through unchanged (they are not typed text).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def escape_cell(value):
    """One cell made safe for a spreadsheet: text starting with a formula character gets a
    leading single quote; anything else is returned as it is."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | date | datetime):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def escape_row(row: Iterable) -> list:
    return [escape_cell(value) for value in row]


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def csv_response(filename: str, rows: Iterable[Sequence]) -> HttpResponse:
    """A CSV download of `rows` (the heading row first), every cell escaped."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response, quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        writer.writerow(escape_row(row))
    return _attachment(response, filename)


def workbook_bytes(book) -> bytes:
    """Save an openpyxl workbook built elsewhere (with its own styling), every text cell stored as
    a string: openpyxl would otherwise store a cell starting with "=" as a formula."""
    for sheet in book.worksheets:
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_bytes(sheets: Sequence[tuple[str, Iterable[Sequence]]]) -> bytes:
    """An XLSX workbook of (sheet title, rows); text cells are strings, never formulas."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title=title[:31])
        for row in rows:
            sheet.append(escape_row(row))
    return workbook_bytes(book)


def xlsx_response(
    filename: str, sheets: Sequence[tuple[str, Iterable[Sequence]]] | bytes
) -> HttpResponse:
    """An XLSX download: of (sheet title, rows), or of a workbook already made by `xlsx_bytes` or
    `workbook_bytes`."""
    content = sheets if isinstance(sheets, bytes) else xlsx_bytes(sheets)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    return _attachment(response, filename)
