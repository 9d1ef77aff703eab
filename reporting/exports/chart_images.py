"""Charts as PNG images for the Word document (reporting.exports.word).

python-docx cannot embed SVG, so each chart goes in as a PNG of the page's own SVG
(``reporting.presentation.svg_for``) drawn by cairo (CairoSVG): the Word chart is the chart on the
page, and the numbers are also in the table beside it, with the same labels (the code labels of
iro/codes.py that the page shows). Where the system's cairo library is not installed, matplotlib
(its Agg canvas, no display) draws the chart from the same specification instead, with the same
labels and the unit as the value axis's title (about four times slower).
"""

from __future__ import annotations

import io
from functools import cache

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
        if spec.get("unit"):
            (ax.set_xlabel if spec["type"] == "bar" else ax.set_ylabel)(spec["unit"], fontsize=8)
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
