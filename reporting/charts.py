"""Charts drawn on the server as accessible SVG: no JavaScript, readable without colour.

Each function is pure: it takes labels and series of numbers and returns SVG markup (a string)
with ``role="img"``, a ``<title>`` and ``<desc>`` (referenced by ``aria-labelledby``), and every
value written as a text label beside its bar or point. All text is escaped. Values that are not
numbers (None, or a suppressed "c") draw nothing and are labelled as they are. Each chart on a
page sits beside a table of the same numbers.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any

# GOV.UK colours with enough contrast against white; the second series is also dashed/hatched in
# line charts so that the two can be told apart without colour.
COLOURS = ["#1d70b8", "#505a5f", "#f47738", "#00703c", "#4c2c92", "#d4351c"]
FONT = 'font-family="arial, sans-serif"'

Series = list[tuple[str, list[Any]]]


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | Decimal):
        return float(value)
    return None


def _fmt(value: Any) -> str:
    if value is None:
        return "no data"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float | Decimal):
        value = float(value)
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
    return str(value)


def _e(text: Any) -> str:
    return escape(str(text), quote=True)


def _open(chart_id: str, title: str, desc: str, width: int, height: int, css: str = "") -> str:
    cid = _e(chart_id)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="app-chart {_e(css)}" '
        f'viewBox="0 0 {width} {height}" width="100%" {FONT} '
        f'aria-labelledby="{cid}-title {cid}-desc" focusable="false">'
        f'<title id="{cid}-title">{_e(title)}</title><desc id="{cid}-desc">{_e(desc)}</desc>'
    )


def describe(labels: list[str], series: Series, unit: str = "") -> str:
    """A plain-text description of every value, for screen readers (the table says the same)."""
    parts = []
    for name, values in series:
        cells = ", ".join(f"{label}: {_fmt(v)}" for label, v in zip(labels, values, strict=False))
        parts.append(f"{name}: {cells}" if name else cells)
    text = "; ".join(parts)
    return f"{text} ({unit})" if unit else text


def _scale_max(series: Series) -> float:
    nums = [_num(v) for _, values in series for v in values]
    top = max([n for n in nums if n is not None] or [0])
    return top if top > 0 else 1.0


def bar_chart(
    chart_id: str, title: str, labels: list[str], series: Series, *, unit: str = ""
) -> str:
    """Horizontal bars, one group per label and one bar per series (a breakdown). A long label
    wraps onto a second line (and is cut only beyond that); the value axis is titled with the
    unit below the bars."""
    label_w, bar_h, gap, value_w = 230, 18, 10, 70
    width = 640
    plot_w = width - label_w - value_w
    wrapped = [_wrap(label, 30) for label in labels]
    group_hs = [max(bar_h * len(series), 16 * len(lines) + 4) + gap for lines in wrapped]
    legend_h = 24 if len(series) > 1 else 0
    axis_h = 30
    height = legend_h + sum(group_hs) + axis_h
    top = _scale_max(series)
    out = [_open(chart_id, title, describe(labels, series, unit), width, height, "app-chart--bar")]
    out.append(_legend(series, 0) if legend_h else "")
    y0 = legend_h
    for i, lines in enumerate(wrapped):
        middle = y0 + (group_hs[i] - gap) / 2
        for j, line in enumerate(lines):
            y = middle + 5 + (j - (len(lines) - 1) / 2) * 16
            out.append(
                f'<text x="{label_w - 8}" y="{y:.1f}" text-anchor="end" font-size="14" '
                f'fill="#0b0c0c">{_e(line)}</text>'
            )
        bars_top = y0 + (group_hs[i] - gap - bar_h * len(series)) / 2
        for s, (_name, values) in enumerate(series):
            value = values[i] if i < len(values) else None
            n = _num(value)
            y = bars_top + s * bar_h
            w = 0 if n is None else max(plot_w * max(n, 0) / top, 1 if n else 0)
            out.append(
                f'<rect class="app-chart__series" x="{label_w}" y="{y + 2:.1f}" width="{w:.1f}" '
                f'height="{bar_h - 4}" fill="{COLOURS[s % len(COLOURS)]}"/>'
            )
            out.append(
                f'<text x="{label_w + w + 6:.1f}" y="{y + bar_h - 5:.1f}" font-size="13" '
                f'fill="#0b0c0c">{_e(_fmt(value))}</text>'
            )
        y0 += group_hs[i]
    out.append(
        f'<line x1="{label_w}" y1="{y0}" x2="{label_w + plot_w}" y2="{y0}" stroke="#0b0c0c"/>'
        f'<text x="{label_w + plot_w / 2:.1f}" y="{y0 + 20}" text-anchor="middle" '
        f'font-size="13" fill="#0b0c0c" class="app-chart__axis-title">{_e(axis_title(unit))}'
        "</text>"
    )
    out.append("</svg>")
    return "".join(out)


def column_chart(
    chart_id: str,
    title: str,
    labels: list[str],
    series: Series,
    *,
    unit: str = "",
    x_title: str = "Month",
) -> str:
    """Vertical columns, one group per label (a month) and one column per series. Values stand
    above their columns, turned upright when the columns are too narrow to write them across;
    the axes are titled (the unit above, "Month" below)."""
    left, bottom, top_pad = 10, 56, 50 + (22 if len(series) > 1 else 0)
    width, height = 720, 300
    plot_h = height - bottom - top_pad
    slot = (width - left * 2) / max(len(labels), 1)
    col_w = max((slot - 8) / max(len(series), 1), 2)
    top = _scale_max(series)
    out = [_open(chart_id, title, describe(labels, series, unit), width, height, "app-chart--col")]
    if len(series) > 1:
        out.append(_legend(series, 0))
    base = height - bottom
    out.append(_axis_titles(unit, left, top_pad - 8, width / 2, height - 8, x_title))
    out.append(f'<line x1="{left}" y1="{base}" x2="{width - left}" y2="{base}" stroke="#0b0c0c"/>')
    longest = max((len(_fmt(v)) for _, values in series for v in values), default=1)
    upright = col_w < 7 * longest + 6
    for i, label in enumerate(labels):
        x0 = left + i * slot + 4
        for s, (_name, values) in enumerate(series):
            value = values[i] if i < len(values) else None
            n = _num(value)
            h = 0 if n is None else plot_h * max(n, 0) / top
            x = x0 + s * col_w
            out.append(
                f'<rect class="app-chart__series" x="{x:.1f}" y="{base - h:.1f}" '
                f'width="{col_w - 1:.1f}" height="{h:.1f}" fill="{COLOURS[s % len(COLOURS)]}"/>'
            )
            tx, ty = x + col_w / 2, base - h - 4
            turn = (
                f' transform="rotate(-90 {tx + 4:.1f} {ty:.1f})" text-anchor="start"'
                if upright
                else ' text-anchor="middle"'
            )
            out.append(
                f'<text x="{tx + (4 if upright else 0):.1f}" y="{ty:.1f}" font-size="11"{turn} '
                f'fill="#0b0c0c">{_e(_fmt(value))}</text>'
            )
        out.append(
            f'<text x="{left + i * slot + slot / 2:.1f}" y="{base + 18}" font-size="12" '
            f'text-anchor="middle" fill="#0b0c0c">{_e(_short(label, 8))}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def line_chart(
    chart_id: str,
    title: str,
    labels: list[str],
    series: Series,
    *,
    unit: str = "",
    x_title: str = "Month",
) -> str:
    """A line per series over the labels (months), each point labelled with its value; the axes
    are titled (the unit above, "Month" below)."""
    left, bottom, top_pad = 20, 56, 52 + (22 if len(series) > 1 else 0)
    width, height = 720, 300
    plot_h = height - bottom - top_pad
    step = (width - left * 2) / max(len(labels) - 1, 1)
    nums = [_num(v) for _, values in series for v in values]
    nums = [n for n in nums if n is not None]
    low = min(nums + [0.0])  # type: ignore[type-var]
    high = max(nums + [1.0])  # type: ignore[type-var]
    span = (high - low) or 1.0  # type: ignore[operator]
    base = height - bottom
    out = [_open(chart_id, title, describe(labels, series, unit), width, height, "app-chart--line")]
    if len(series) > 1:
        out.append(_legend(series, 0))
    out.append(_axis_titles(unit, left, top_pad - 10, width / 2, height - 8, x_title))
    out.append(f'<line x1="{left}" y1="{base}" x2="{width - left}" y2="{base}" stroke="#0b0c0c"/>')
    for s, (_name, values) in enumerate(series):
        colour = COLOURS[s % len(COLOURS)]
        dash = ' stroke-dasharray="6 4"' if s else ""
        points = []
        for i, value in enumerate(values[: len(labels)]):
            n = _num(value)
            if n is None:
                if value is not None:  # a suppressed or text value: labelled on the axis
                    out.append(
                        f'<text x="{left + i * step:.1f}" y="{base - 6 - 14 * s}" font-size="11" '
                        f'text-anchor="middle" fill="#0b0c0c">{_e(_fmt(value))}</text>'
                    )
                continue
            x, y = left + i * step, base - plot_h * (n - low) / span  # type: ignore[operator]
            points.append((x, y, value))
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
            )
        for x, y, value in points:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
            dy = -8 if s == 0 else 16
            out.append(
                f'<text x="{x:.1f}" y="{y + dy:.1f}" font-size="11" text-anchor="middle" '
                f'fill="#0b0c0c">{_e(_fmt(value))}</text>'
            )
    for i, label in enumerate(labels):
        out.append(
            f'<text x="{left + i * step:.1f}" y="{base + 18}" font-size="12" '
            f'text-anchor="middle" fill="#0b0c0c">{_e(_short(label, 8))}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def sparkline(chart_id: str, title: str, labels: list[str], values: list[Any]) -> str:
    """A small line of a row's values (the scorecard); the numbers are in the row beside it."""
    width, height, pad = 120, 30, 3
    nums = [_num(v) for v in values]
    known = [n for n in nums if n is not None]
    low, high = (min(known), max(known)) if known else (0.0, 1.0)
    span = (high - low) or 1.0
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    desc = describe(labels, [("", values)])
    out = [_open(chart_id, title, desc, width, height, "app-sparkline")]
    points = [
        (pad + i * step, height - pad - (height - 2 * pad) * (n - low) / span)
        for i, n in enumerate(nums)
        if n is not None
    ]
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{COLOURS[0]}" stroke-width="2"/>'
        )
    if points:
        x, y = points[-1]
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{COLOURS[0]}"/>')
    out.append("</svg>")
    return "".join(out)


def _legend(series: Series, y: int) -> str:
    parts, x = [], 10
    for s, (name, _values) in enumerate(series):
        parts.append(
            f'<rect x="{x}" y="{y + 4}" width="14" height="14" fill="{COLOURS[s % len(COLOURS)]}"/>'
            f'<text x="{x + 20}" y="{y + 16}" font-size="13" fill="#0b0c0c">{_e(name)}</text>'
        )
        x += 30 + 8 * len(str(name))
    return "".join(parts)


def axis_title(unit: str) -> str:
    """What the value axis measures, with its unit: "Percentage (%)", "Number of children",
    "Rate per 10,000", "Working days"."""
    if not unit:
        return "Number"
    if unit == "%":
        return "Percentage (%)"
    if unit.startswith("per "):
        return f"Rate {unit}"
    if unit in ("days", "working days") or " per " in unit or unit == "FTE":
        return unit[:1].upper() + unit[1:]
    return f"Number of {unit}"


def _axis_titles(unit: str, x: float, y: float, cx: float, bottom: float, x_title: str) -> str:
    return (
        f'<text x="{x}" y="{y:.1f}" font-size="13" fill="#0b0c0c" '
        f'class="app-chart__axis-title">{_e(axis_title(unit))}</text>'
        f'<text x="{cx:.1f}" y="{bottom:.1f}" font-size="13" text-anchor="middle" '
        f'fill="#0b0c0c" class="app-chart__axis-title">{_e(x_title)}</text>'
    )


def _wrap(label: Any, size: int) -> list[str]:
    """A label on one or two lines of at most `size` characters, broken between words; cut with
    an ellipsis only beyond two lines."""
    words, lines, line = str(label).split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > size:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], _short(" ".join(lines[1:]), size)]
    return [_short(text, size) for text in lines]


def _short(label: Any, size: int) -> str:
    text = str(label)
    return text if len(text) <= size else text[: size - 1] + "…"
