"""An editable Word document (.docx) of a presented report, laid out for a council to print and
restyle.

- A4 portrait with 2.5 cm margins, whatever python-docx's template (US Letter) says.
- A table of contents field (headings 1 and 2), which Word fills in when the document is opened
  (the settings ask it to update fields) or on "Update field".
- Every table's first row is a header row that repeats at the top of each page it runs onto
  (w:tblHeader), and a row is not split across pages.
- Each chart is an image (reporting.exports.chart_images) placed straight after the table of
  the numbers it draws, so the data table goes with it.
- The head of service's narrative for a section (`commentary`, keyed by the section keys of
  reporting.annual_data.SECTIONS) opens its section.
- Text is formatted only through named styles (the built-in headings, Title, Caption and
  Table Grid, and the report's own "Report commentary", "Report note", "Table heading" and
  "Table text"), so that restyling a style in Word restyles the whole report; nothing is
  formatted directly.
- Dates read the UK way ("3 December 2026", `uk_date`).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from reporting.exports.chart_images import chart_png

__all__ = ["A4_HEIGHT", "A4_WIDTH", "chart_png", "uk_date", "write_docx"]

A4_WIDTH, A4_HEIGHT = Mm(210), Mm(297)
MARGIN = Cm(2.5)
TOC_INSTRUCTION = r'TOC \o "1-2" \h \z \u'
TOC_PLACEHOLDER = "Right-click here and choose Update field to show the contents."

# The report's own paragraph styles: (name, based on, bold, size in points).
OWN_STYLES = (
    ("Report commentary", "Normal", False, None),
    ("Report note", "Normal", False, 9),
    ("Table heading", "Normal", True, 9),
    ("Table text", "Normal", False, 9),
)

Progress = Callable[[int], None]


def uk_date(value: date | str) -> str:
    """A date as read in the UK: "3 December 2026" (from a date or an ISO date string)."""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return f"{value.day} {value:%B %Y}"


def _page_setup(doc) -> None:
    for section in doc.sections:
        section.page_width, section.page_height = A4_WIDTH, A4_HEIGHT
        section.left_margin = section.right_margin = MARGIN
        section.top_margin = section.bottom_margin = MARGIN


def _styles(doc) -> dict:
    """The styles the report uses, looked up once (python-docx searches the style list on every
    use of a name, which over a report's hundreds of tables took seconds)."""
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    for name, base, bold, size in OWN_STYLES:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles[base]
        style.quick_style = True
        if bold:
            style.font.bold = True
        if size:
            style.font.size = Pt(size)
    names = ("Title", "Heading 1", "Heading 2", "Caption", "Table Grid")
    # By style id, set on the XML directly: python-docx's `paragraph.style = ...` looks for the
    # document's default style on every call, which over a report's 4,000-odd cells took most of
    # the build's time.
    return {name: doc.styles[name].style_id for name in (*names, *(s[0] for s in OWN_STYLES))}


def _add(doc, text: str, style_id: str):
    paragraph = doc.add_paragraph(text)
    paragraph._p.style = style_id
    return paragraph


def _field(paragraph, instruction: str, placeholder: str) -> None:
    """A complex field (begin, instruction, separate, placeholder result, end) in `paragraph`."""

    def char(kind: str):
        run = OxmlElement("w:r")
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            fld.set(qn("w:dirty"), "true")
        run.append(fld)
        return run

    p = paragraph._p
    p.append(char("begin"))
    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    instr_run.append(instr)
    p.append(instr_run)
    p.append(char("separate"))
    result = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    result.append(text)
    p.append(result)
    p.append(char("end"))


def _update_fields_on_open(doc) -> None:
    settings = doc.settings.element
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        settings.append(update)
    update.set(qn("w:val"), "true")


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        tr_pr.append(element)


def _no_split(row) -> None:
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _set_cell(cell, text: str, style_id: str) -> None:
    paragraph = cell.paragraphs[0]
    paragraph._p.style = style_id
    paragraph.text = text


def _table(doc, table: dict, styles: dict) -> None:
    headers = table["headers"]
    width = len(headers)
    grid = doc.add_table(rows=1, cols=width)
    grid._tbl.tblPr.style = styles["Table Grid"]
    header = grid.rows[0]
    _repeat_header(header)
    for i, text in enumerate(headers):
        _set_cell(header.cells[i], str(text), styles["Table heading"])
    for row in table["rows"]:
        added = grid.add_row()
        _no_split(added)
        values = [c["text"] for c in row["cells"]]
        if not table.get("list"):
            values = [str(row["label"]), *values]
        for i, text in enumerate(values[:width]):
            _set_cell(added.cells[i], str(text), styles["Table text"])


def _chart(doc, spec: dict, styles: dict) -> None:
    _add(doc, f"Chart: {spec['title']}", styles["Caption"])
    doc.add_picture(io.BytesIO(chart_png(spec)), width=Cm(16))


def _figure(doc, fig: dict, styles: dict, charts: bool) -> None:
    _add(doc, f"{fig['id']} {fig['title']}", styles["Heading 2"])
    drawn = set()
    for table in fig["tables"]:
        _add(doc, table["caption"], styles["Caption"])
        _table(doc, table, styles)
        if charts and "chart" in table:
            _chart(doc, fig["charts"][table["chart"]], styles)
            drawn.add(table["chart"])
    if charts:
        for i, spec in enumerate(fig["charts"]):
            if i not in drawn:
                _chart(doc, spec, styles)
    if fig["result"].get("note"):
        _add(doc, "Note: " + fig["result"]["note"], styles["Report note"])


def write_docx(
    meta: dict,
    sections: list[dict],
    *,
    charts: bool = True,
    commentary: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The report as a .docx. `commentary` maps a section key to its narrative (a snapshot's own,
    or the year's); a section's own "commentary" is used where the mapping has none.
    `progress(percent)` is called after each section."""
    commentary = commentary or {}
    doc = Document()
    _page_setup(doc)
    styles = _styles(doc)
    _add(doc, meta["title"], styles["Title"])
    for line in meta.get("lines", []):
        doc.add_paragraph(line)
    _add(doc, "Contents", styles["Heading 1"])
    _field(doc.add_paragraph(), TOC_INSTRUCTION, TOC_PLACEHOLDER)
    _update_fields_on_open(doc)
    for done, section in enumerate(sections, start=1):
        _add(doc, section["title"], styles["Heading 1"])
        text = commentary.get(section.get("key", "")) or section.get("commentary") or ""
        for paragraph in (p.strip() for p in str(text).split("\n\n")):
            if paragraph:
                _add(doc, paragraph, styles["Report commentary"])
        for fig in section["figures"]:
            _figure(doc, fig, styles, charts)
        if progress is not None:
            progress(round(100 * done / max(len(sections), 1)))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
