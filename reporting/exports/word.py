"""An editable Word document (.docx) of a presented report: every table, and each chart in place.

python-docx cannot embed SVG, so each chart goes in as a PNG of the page's own SVG
(``reporting.presentation.svg_for``) drawn by cairo (CairoSVG): the Word chart is the chart on the
page, and the numbers are also in the table beside it. Where the system's cairo library is not
installed, matplotlib draws the chart from the same specification instead (about four times
slower). Managers write their narrative around the live figures in Word.
"""

from __future__ import annotations

import io
from functools import cache

from docx import Document
from docx.shared import Cm, Pt

from reporting.charts import COLOURS, _num

# Drawn at 1.5 times the SVG's size: 960 pixels across, about 150 dpi at 16 cm wide in print.
SCALE = 1.5


@cache
def _cairo():
    """CairoSVG's renderer, or None where the cairo library itself is missing."""
    try:
        import cairosvg
    except OSError:  # the package is installed; libcairo is not
        return None
    return cairosvg.svg2png


def chart_png(spec: dict) -> bytes:
    """The chart `spec` as a PNG: the page's SVG drawn by cairo, else matplotlib's drawing."""
    from reporting.presentation import svg_for

    draw = _cairo()
    if draw is None:
        return matplotlib_png(spec)
    return draw(bytestring=str(svg_for(spec, "chart")).encode(), scale=SCALE)


def matplotlib_png(spec: dict) -> bytes:
    """The chart `spec` as a PNG drawn by matplotlib (no display needed)."""
    # A bare Figure on the Agg canvas (not pyplot, whose global state and figure manager cost
    # time on every chart), laid out with fixed margins: tight_layout measured every label again
    # and made the report's 70-odd charts take most of a minute.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    labels = [str(label) for label in spec["labels"]]
    series = spec["series"]
    height = 2.6 if spec["type"] != "bar" else 0.5 + 0.35 * len(labels)
    fig = Figure(figsize=(7, height))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    try:
        positions = range(len(labels))
        width = 0.8 / max(len(series), 1)
        for s, (name, values) in enumerate(series):
            nums = [_num(v) for v in values[: len(labels)]]
            nums += [None] * (len(labels) - len(nums))
            colour = COLOURS[s % len(COLOURS)]
            if spec["type"] == "line":
                pts = [(i, n) for i, n in zip(positions, nums, strict=False) if n is not None]
                if pts:
                    ax.plot(
                        [p[0] for p in pts],
                        [p[1] for p in pts],
                        marker="o",
                        color=colour,
                        linestyle="--" if s else "-",
                        label=name or None,
                    )
            else:
                offsets = [i - 0.4 + width * (s + 0.5) for i in positions]
                heights = [n or 0 for n in nums]
                draw = ax.barh if spec["type"] == "bar" else ax.bar
                bars = draw(offsets, heights, width, color=colour, label=name or None)
                ax.bar_label(bars, labels=[_label(v) for v in values[: len(labels)]], fontsize=7)
        if spec["type"] == "bar":
            ax.set_yticks(list(positions), labels, fontsize=8)
            ax.invert_yaxis()
        else:
            ax.set_xticks(list(positions), labels, fontsize=8)
        ax.set_title(spec["title"], fontsize=9)
        ax.spines[["top", "right"]].set_visible(False)
        if len(series) > 1:
            ax.legend(fontsize=7, frameon=False)
        if spec["type"] == "bar":
            longest = max((len(label) for label in labels), default=0)
            left = min(0.45, 0.04 + 0.0125 * longest)
            fig.subplots_adjust(left=left, right=0.96, top=1 - 0.35 / height, bottom=0.3 / height)
        else:
            fig.subplots_adjust(left=0.07, right=0.98, top=0.88, bottom=0.14)
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=110)
        return out.getvalue()
    finally:
        fig.clear()


def _label(value) -> str:
    if value is None:
        return ""
    n = _num(value)
    if n is None:
        return str(value)
    return f"{n:,.0f}" if float(n).is_integer() else f"{n:,.1f}"


def _table(doc, table: dict, style) -> None:
    headers = table["headers"]
    listing = table.get("list")
    width = len(headers)
    grid = doc.add_table(rows=1, cols=width)
    grid.style = style
    for i, header in enumerate(headers):
        grid.rows[0].cells[i].text = str(header)
        for run in grid.rows[0].cells[i].paragraphs[0].runs:
            run.bold = True
    for row in table["rows"]:
        cells = grid.add_row().cells
        values = [c["text"] for c in row["cells"]]
        if not listing:
            values = [str(row["label"]), *values]
        for i, text in enumerate(values[:width]):
            cells[i].text = str(text)


def write_docx(meta: dict, sections: list[dict], *, charts: bool = True) -> bytes:
    doc = Document()
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10)
    # Styles looked up by name once: python-docx searches the style list on every use of a name,
    # which over a report's hundreds of tables and headings took seconds.
    styles = {
        name: doc.styles[name] for name in ("Table Grid", "Caption", "Heading 1", "Heading 2")
    }
    doc.add_heading(meta["title"], level=0)
    for line in meta.get("lines", []):
        doc.add_paragraph(line)
    for section in sections:
        doc.add_paragraph(section["title"], style=styles["Heading 1"])
        if section.get("commentary"):
            doc.add_paragraph(section["commentary"])
        for fig in section["figures"]:
            doc.add_paragraph(f"{fig['id']} {fig['title']}", style=styles["Heading 2"])
            for table in fig["tables"]:
                doc.add_paragraph(table["caption"], style=styles["Caption"])
                _table(doc, table, styles["Table Grid"])
            if charts:
                for spec in fig["charts"]:
                    doc.add_paragraph(spec["title"], style=styles["Caption"])
                    doc.add_picture(io.BytesIO(chart_png(spec)), width=Cm(16))
            if fig["result"].get("note"):
                doc.add_paragraph("Note: " + fig["result"]["note"])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
