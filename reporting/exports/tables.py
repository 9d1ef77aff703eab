"""XLSX and CSV exports of a presented report (see ``reporting.presentation``).

Cells go through the service's one export helper, ``iro.exports``: typed text never reaches a
spreadsheet as a formula, numbers stay numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

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


def _is_percent(cell: dict) -> bool:
    """A percentage cell: a number that ``presentation.fmt`` wrote with its % sign (PCT figures
    hold percentages as 93.5, not 0.935)."""
    value = cell.get("value")
    return (
        isinstance(value, int | float | Decimal)
        and not isinstance(value, bool)
        and str(cell.get("text") or "").endswith("%")
    )


# Excel's limit on a sheet name, and the characters it refuses in one.
SHEET_NAME_MAX = 31
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
# Words a shortened name must not end on ("Reviews of" reads as cut off).
_DANGLING = {"and", "&", "of", "the", "for", "to", "in", "on", "a", "by", "with", "or", "-"}


def _shorten(title: str, limit: int) -> str:
    """`title` within `limit` characters, cut at a word boundary (never mid-word) and without a
    dangling joining word; "and" is written "&" first when that is enough to fit."""
    title = " ".join(_NOT_IN_SHEET_NAMES.sub(" ", title).split()).strip("'")
    if len(title) <= limit:
        return title
    ampersand = title.replace(" and ", " & ")
    if len(ampersand) <= limit:
        return ampersand
    words, out = ampersand.split(" "), list[str]()
    for word in words:
        if len(" ".join([*out, word])) > limit:
            break
        out.append(word)
    while len(out) > 1 and out[-1].lower().strip(",") in _DANGLING:
        out.pop()
    if not out:  # a single word longer than the limit: nothing better than cutting it
        return ampersand[:limit]
    return " ".join(out).rstrip(",;")


def sheet_name(title: str, used: set[str]) -> str:
    """A readable, unique sheet name: the title shortened at a word boundary to Excel's 31
    characters, then " (2)", " (3)"... (shortening the title further) if the name is taken.
    `used` holds the lower-cased names already given and is updated."""
    base = _shorten(title, SHEET_NAME_MAX) or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = _shorten(title, SHEET_NAME_MAX - len(suffix)) + suffix, n + 1
    used.add(name.lower())
    return name


def _link_to(name: str) -> str:
    return "'" + name.replace("'", "''") + "'!A1"


def _number_format(cell: dict, value) -> str | None:
    if _is_percent(cell):
        return "0.0%"
    if isinstance(value, int):
        return "#,##0"
    if isinstance(value, float):
        return "#,##0" if value.is_integer() else "#,##0.0"
    return None


def _set_widths(sheet, widths: dict[int, int]) -> None:
    """Columns as wide as their longest text or header, within sensible bounds; the first
    column (the row labels) wider."""
    for column, width in widths.items():
        bounds = (24, 60) if column == 1 else (10, 28)
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = max(bounds[0], min(bounds[1], width + 2))


def write_xlsx(meta: dict, sections: list[dict]) -> bytes:
    """A contents sheet (what the report is, then a link to each sheet), then a sheet per
    section with every table. Sheet names are the section titles, shortened at a word boundary
    when longer than Excel allows. Numbers stay numbers; percentages are stored as fractions
    formatted as percentages (93.5% is 0.935 shown as "93.5%"), so they sum and chart in Excel.
    Each section sheet keeps its title row and label column in view (frozen panes), and when it
    holds one table, that table's header row too."""
    book = Workbook()
    contents = book.active
    contents.title = "Contents"
    used = {"contents"}
    bold = Font(bold=True)
    contents.append([escape_cell(meta["title"])])
    contents["A1"].font = Font(bold=True, size=14)
    for line in meta.get("lines", []):
        contents.append([escape_cell(line)])
    contents.append([])
    contents.append(["Sheet", "Section"])
    for cell in contents[contents.max_row]:
        cell.font = bold
    header_row = contents.max_row
    names = []
    for section in sections:
        sheet = book.create_sheet(sheet_name(section["title"], used))
        names.append((sheet.title, section["title"]))
        widths: dict[int, int] = {1: len(section["title"]) // 2}
        sheet.append([escape_cell(section["title"])])
        sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
        if section.get("commentary"):
            sheet.append([escape_cell(section["commentary"])])
        tables = 0
        table_header_row = None
        for fig in section["figures"]:
            sheet.append([])
            sheet.append([escape_cell(f"{fig['id']} {fig['title']}".strip())])
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=12)
            for table in fig["tables"]:
                tables += 1
                sheet.append([escape_cell(h) for h in table["headers"]])
                table_header_row = sheet.max_row
                for i, header in enumerate(table["headers"], start=1):
                    widths[i] = max(widths.get(i, 0), len(str(header)))
                for cell in sheet[sheet.max_row]:
                    cell.font = bold
                for row in table["rows"]:
                    cells = list(row["cells"])
                    values = [float(_raw(c)) / 100 if _is_percent(c) else _raw(c) for c in cells]
                    if table.get("list"):
                        sheet.append(values)
                        start = 1
                    else:
                        label = str(row["label"])
                        sheet.append([escape_cell(label), *values])
                        widths[1] = max(widths.get(1, 0), len(label))
                        start = 2
                    written = sheet[sheet.max_row]
                    for offset, (c, v) in enumerate(zip(cells, values, strict=True)):
                        target = written[start - 1 + offset]
                        number_format = _number_format(c, v)
                        if number_format:
                            target.number_format = number_format
                        widths[start + offset] = max(
                            widths.get(start + offset, 0), len(str(c.get("text") or ""))
                        )
            if fig.get("note", fig["result"].get("note")):
                sheet.append([escape_cell("Note: " + fig.get("note", fig["result"].get("note")))])
        if tables == 1 and table_header_row:
            sheet.freeze_panes = sheet.cell(row=table_header_row + 1, column=2)
        else:
            sheet.freeze_panes = "B2"
        _set_widths(sheet, widths)
    for i, (name, title) in enumerate(names, start=header_row + 1):
        link = contents.cell(row=i, column=1, value=escape_cell(name))
        link.hyperlink = Hyperlink(ref=link.coordinate, location=_link_to(name), display=name)
        link.style = "Hyperlink"
        contents.cell(row=i, column=2, value=escape_cell(title))
    contents.freeze_panes = contents.cell(row=header_row + 1, column=1)
    contents.column_dimensions["A"].width = 34
    contents.column_dimensions["B"].width = 60
    return workbook_bytes(book)


FIGURE_CSV_HEADERS = [
    "Figure id",
    "Title",
    "Period",
    "Breakdown",
    "Breakdown label",
    "Value",
    "Numerator",
    "Denominator",
    "Unit",
]


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict | list):
        return None
    return value


def figure_csv_rows(report: dict) -> Iterator[list]:
    """The annual report as data: one line per figure and period (this year, then last year),
    then one per breakdown cell (a two-level breakdown's cell is "outer / inner"), with the
    figure id, title, period, value, numerator, denominator and unit. Breakdown keys are the
    codes (for machines) with their label beside them. Escaped by ``iro.exports.csv_response``."""
    yield FIGURE_CSV_HEADERS
    periods: list[tuple[str, str]] = [("result", report["period"]["title"])]
    if report.get("previous_period"):
        periods.append(("previous", report["previous_period"]["title"]))
    for section in report["sections"]:
        for entry in section["figures"]:
            unit = "%" if entry["kind"] == "PCT" else entry.get("unit") or ""
            labels = entry.get("labels") or {}
            for which, period in periods:
                data = entry.get(which) or {}
                if not data:
                    continue
                yield [
                    entry["id"],
                    entry["title"],
                    period,
                    "",
                    "",
                    _plain(data.get("value")),
                    _plain(data.get("numerator")),
                    _plain(data.get("denominator")),
                    unit,
                ]
                for key, value in (data.get("breakdown") or {}).items():
                    label = labels.get(str(key), str(key))
                    inner = value.items() if isinstance(value, dict) else [(None, value)]
                    for inner_key, cell in inner:
                        yield [
                            entry["id"],
                            entry["title"],
                            period,
                            str(key) if inner_key is None else f"{key} / {inner_key}",
                            label if inner_key is None else f"{label} / {inner_key}",
                            _plain(cell),
                            "",
                            "",
                            unit,
                        ]
