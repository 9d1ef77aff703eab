"""Turns a report entry (see ``annual_data.figure_entry``) into tables and chart specifications.

The page, the XLSX/CSV/.docx exports and published snapshots all read the same tables, so every
number appears the same wherever it is shown. A table is ``{"caption", "headers", "rows"}``; each
row is ``{"label", "cells"}`` and each cell ``{"value", "text", "url"}``: ``value`` is the raw
number (or a suppression marker), ``text`` how the page writes it, ``url`` the drill-down link
(only when the viewer may follow it). A chart spec is ``{"type", "title", "labels", "series"}``;
``charts.py`` draws it as SVG and ``exports.docx`` as a PNG.
"""

from __future__ import annotations

import hashlib
import re
from calendar import month_abbr
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import mark_safe

from iro.access import hidden_records_text, split_visible
from reporting import charts, headlines

COUNT_KINDS = {"COUNT", "PCT", "LIST", "RATE"}

# A figure's table that lists children identifies each by this column (CP-14's panel list).
CHILD_ID_COLUMN = "LA child ID"


def mask_child_lists(report: dict, user) -> tuple[dict, str]:
    """The report with every list of children cut to the children `user` may see
    (``iro.access.split_visible``): each hidden child still counts in the figure, and the list
    ends with a line saying how many records are outside the reader's access. Returns the report
    and a key naming what this reader is shown, for caching the rendered page per access set."""
    sections, shown_key = [], []
    for section in report["sections"]:
        figures = []
        for entry in section["figures"]:
            out = entry
            for part in ("result", "previous"):
                data = out.get(part) or {}
                columns = data.get("columns") or []
                if CHILD_ID_COLUMN not in columns or data.get("table") is None:
                    continue
                at = columns.index(CHILD_ID_COLUMN)
                shown, hidden = split_visible(
                    user, data["table"], child=lambda row, at=at: row[at], by="la_child_id"
                )
                out = {**out, part: {**data, "table": shown, "hidden_rows": hidden}}
                shown_key.append((entry["id"], part, hidden, *[row[at] for row in shown]))
            figures.append(out)
        sections.append({**section, "figures": figures})
    key = hashlib.sha256(repr(shown_key).encode()).hexdigest()[:16]
    return {**report, "sections": sections}, key


def fmt(value: Any, *, percent: bool = False) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        text = f"{value:,}"
    elif isinstance(value, float | Decimal):
        value = float(value)
        text = f"{value:,.0f}" if value.is_integer() and not percent else f"{value:,.1f}"
    else:
        return str(value)
    return text + "%" if percent else text


def is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def month_label(key: str) -> str:
    try:
        year, month = key.split("-")
        return f"{month_abbr[int(month)]} {year}"
    except (ValueError, IndexError):
        return key


MONTH_KEY = re.compile(r"\d{4}-\d{2}")


def row_label(key: Any, labels: dict[str, str] | None = None) -> str:
    """A breakdown key as a row label: its label from the figure's code list (the entry's
    ``labels``, from reporting.figures.breakdown_labels: a DfE code reads as its meaning, never
    the bare code), a month key as "Apr 2025", otherwise the key's own words."""
    text = str(key)
    if labels and text in labels:
        return labels[text]
    if MONTH_KEY.fullmatch(text):
        return month_label(text)
    text = short_label(text)
    return text[:1].upper() + text[1:]


def entry_labels(entry: dict) -> dict[str, str]:
    """The entry's breakdown labels; entries stored before labels were kept get them from the
    figure's declaration now."""
    if "labels" in entry:
        return entry["labels"] or {}
    from reporting.figures import REGISTRY, breakdown_labels

    fig = REGISTRY.get(entry.get("id", ""))
    if fig is None:
        return {}
    keys = [
        *((entry.get("result") or {}).get("breakdown") or {}),
        *((entry.get("previous") or {}).get("breakdown") or {}),
    ]
    return breakdown_labels(fig, keys)


def short_label(key: Any) -> str:
    """A breakdown key as a chart label: "looked_after" reads "looked after"."""
    return str(key).replace("_", " ")


class Presenter:
    """Builds the tables and charts of entries for one report (a period and the year before).

    `drill_year` is the reporting year the drill-down links point at (None: no links, as for a
    board member or a published snapshot).
    """

    def __init__(self, report: dict, *, drill_year: int | None = None):
        self.report = report
        self.period = report["period"]
        self.previous_period = report.get("previous_period") or {}
        self.drill_year = drill_year

    def _url(self, entry: dict, cell: str | None, *, previous: bool = False) -> str:
        if self.drill_year is None or not entry.get("has_rows"):
            return ""
        year = self.drill_year - 1 if previous else self.drill_year
        url = reverse("reporting:figure-rows", args=[entry["id"], year])
        return url + ("?" + urlencode({"cell": cell}) if cell is not None else "")

    def _cell(self, value, entry, cell_key, *, previous=False, link=True, percent=False) -> dict:
        url = ""
        if link and is_count(value) and value > 0:
            url = self._url(entry, cell_key, previous=previous)
        return {"value": value, "text": fmt(value, percent=percent), "url": url}

    def headline(self, entry: dict) -> dict:
        cur, prev = entry["result"], entry.get("previous") or {}
        kind = entry["kind"]
        marks = entry.get("benchmarks") or []
        headers = ["Measure", self.period["title"], self.previous_period.get("title", "")]
        headers += ["Target", "RAG"] + [f"{b['label']} ({b['year_label']})" for b in marks]
        percent = kind == "PCT"
        unit = "%" if percent else entry.get("unit") or ""
        rows = []
        link_value = kind in ("COUNT", "LIST")
        value_label = entry["title"] + (f" ({unit})" if unit and unit != "%" else "")
        rag = entry.get("rag")
        rows.append(
            {
                "label": value_label,
                "key": "value",
                "cells": [
                    self._cell(cur.get("value"), entry, None, link=link_value, percent=percent),
                    self._cell(
                        prev.get("value"),
                        entry,
                        None,
                        previous=True,
                        link=link_value,
                        percent=percent,
                    ),
                    {
                        "value": entry.get("target"),
                        "text": fmt(entry.get("target"), percent=percent)
                        if entry.get("target") is not None
                        else "",
                        "url": "",
                    },
                    {"value": rag or "", "text": (rag or "").capitalize(), "url": "", "rag": rag},
                    *[
                        {"value": b["value"], "text": fmt(b["value"], percent=percent), "url": ""}
                        for b in marks
                    ],
                ],
            }
        )
        blank = [{"value": None, "text": "", "url": ""}] * (2 + len(marks))
        for key, label, cell in (
            ("numerator", "Counted", None),
            ("denominator", "Out of", "denominator"),
        ):
            if cur.get(key) is None and prev.get(key) is None:
                continue
            link = key == "numerator" or entry.get("denominator_rows", False)
            rows.append(
                {
                    "label": label,
                    "key": key,
                    "cells": [
                        self._cell(cur.get(key), entry, cell, link=link),
                        self._cell(prev.get(key), entry, cell, previous=True, link=link),
                        *blank,
                    ],
                }
            )
        return {"caption": entry["title"], "headers": headers, "rows": rows}

    def breakdown(self, entry: dict) -> tuple[dict | None, dict | None]:
        cur = entry["result"].get("breakdown") or {}
        prev = (entry.get("previous") or {}).get("breakdown") or {}
        if not cur and not prev:
            return None, None
        keys = list(cur) + [k for k in prev if k not in cur]
        labels = entry_labels(entry)
        link = entry["kind"] in COUNT_KINDS
        if any(isinstance(v, dict) for v in cur.values()):
            inner = []
            for v in cur.values():
                for k in v if isinstance(v, dict) else []:
                    if k not in inner:
                        inner.append(k)
            rows = [
                {
                    "label": row_label(key, labels),
                    "key": key,
                    "cells": [
                        self._cell((cur.get(key) or {}).get(k), entry, key, link=False)
                        for k in inner
                    ],
                }
                for key in keys
            ]
            table = {
                "caption": f"{entry['title']}: breakdown",
                "headers": ["Breakdown", *[short_label(k) for k in inner]],
                "rows": rows,
            }
            series = [
                (short_label(k), [(cur.get(key) or {}).get(k) for key in keys]) for k in inner
            ]
        else:
            rows = [
                {
                    "label": row_label(key, labels),
                    "key": key,
                    "cells": [
                        self._cell(cur.get(key), entry, key, link=link),
                        self._cell(prev.get(key), entry, key, previous=True, link=link),
                    ],
                }
                for key in keys
            ]
            table = {
                "caption": f"{entry['title']}: breakdown",
                "headers": [
                    "Breakdown",
                    self.period["title"],
                    self.previous_period.get("title", ""),
                ],
                "rows": rows,
            }
            series = [
                (self.period["title"], [cur.get(k) for k in keys]),
                (self.previous_period.get("title", ""), [prev.get(k) for k in keys]),
            ]
        if len(keys) < 2 or not any(
            charts._num(v) is not None for _, values in series for v in values
        ):
            # One row (CLA-01's rate per 10,000) is read from its table: a chart of a single
            # bar compares nothing.
            return table, None
        chart = {
            "type": "bar",
            "title": f"{entry['title']}: breakdown",
            "labels": [row_label(k, labels) for k in keys],
            "series": series,
            "unit": entry.get("unit") or "",
        }
        return table, chart

    def months(self, entry: dict) -> tuple[dict | None, dict | None]:
        cur = entry["result"].get("months") or {}
        prev = (entry.get("previous") or {}).get("months") or {}
        if not cur and not prev:
            return None, None
        keys = list(cur) or list(prev)
        prev_keys = list(prev)
        dicts = any(isinstance(v, dict) for v in cur.values())
        headers = ["Measure" if dicts else "Year"] + [month_label(k).split(" ")[0] for k in keys]
        link = entry["kind"] in COUNT_KINDS
        # A monthly series of a percentage figure holds percentages: written with their unit.
        percent = entry["kind"] == "PCT" and not dicts
        if any(isinstance(v, dict) for v in cur.values()):
            inner = []
            for v in cur.values():
                for k in v if isinstance(v, dict) else []:
                    if k not in inner:
                        inner.append(k)
            rows = [
                {
                    "label": row_label(k),
                    "key": str(k),
                    "cells": [
                        self._cell((cur.get(m) or {}).get(k), entry, m, link=False) for m in keys
                    ],
                }
                for k in inner
            ]
            series = [(short_label(k), [(cur.get(m) or {}).get(k) for m in keys]) for k in inner]
        else:
            rows = [
                {
                    "label": self.period["title"],
                    "key": "current",
                    "cells": [
                        self._cell(cur.get(m), entry, m, link=link, percent=percent) for m in keys
                    ],
                }
            ]
            series = [(self.period["title"], [cur.get(m) for m in keys])]
            if prev:
                prev_values = [prev.get(m) for m in prev_keys][: len(keys)]
                rows.append(
                    {
                        "label": self.previous_period.get("title", "Previous"),
                        "key": "previous",
                        "cells": [
                            self._cell(
                                prev.get(m), entry, m, previous=True, link=link, percent=percent
                            )
                            for m in prev_keys[: len(keys)]
                        ],
                    }
                )
                series.append((self.previous_period.get("title", "Previous"), prev_values))
        table = {"caption": f"{entry['title']}: by month", "headers": headers, "rows": rows}
        if not any(charts._num(v) is not None for _, values in series for v in values):
            return table, None
        chart = {
            "type": "column" if entry["kind"] == "COUNT" and len(series) <= 2 else "line",
            "title": f"{entry['title']}: by month",
            "labels": [month_label(k).split(" ")[0] for k in keys],
            "series": series,
            "unit": "%" if percent else entry.get("unit") or "",
        }
        return table, chart

    def listing(self, entry: dict) -> dict | None:
        data = entry["result"]
        if not data.get("columns") or data.get("table") is None:
            return None
        rows = []
        labels = entry_labels(entry)
        for i, row in enumerate(data["table"]):
            cells = []
            for v in row:
                cell = self._cell(v, entry, None, link=False)
                if isinstance(v, str) and MONTH_KEY.fullmatch(v):
                    cell["text"] = month_label(v)
                elif isinstance(v, str) and v in labels:
                    # A code in a listing (IRO-05's "M") reads as its label, as in the breakdown.
                    cell["text"] = labels[v]
                cells.append(cell)
            rows.append({"label": "", "key": str(i), "cells": cells})
        hidden = hidden_records_text(data.get("hidden_rows") or 0)
        # Text columns (names of areas, months, codes) read left-aligned, numbers right-aligned.
        numeric = [
            all(
                isinstance(row[i], int | float | Decimal) or row[i] is None
                for row in data["table"]
                if i < len(row)
            )
            for i in range(len(data["columns"]))
        ]
        for row in rows:
            for i, cell in enumerate(row["cells"]):  # type: ignore[assignment]
                cell["text_cell"] = i < len(numeric) and not numeric[i]
        if hidden:
            # The children the reader may not see: counted, never named (iro/access.py).
            blank = {"value": None, "text": "", "url": "", "text_cell": True}
            first = {"value": hidden, "text": hidden, "url": "", "text_cell": True}
            rows.append(
                {
                    "label": "",
                    "key": "hidden",
                    "hidden": True,  # type: ignore[dict-item]
                    "cells": [first, *[blank] * (len(data["columns"]) - 1)],
                }
            )
        return {
            "caption": entry["title"],
            "headers": data["columns"],
            "header_cells": [
                {"text": h, "numeric": numeric[i]} for i, h in enumerate(data["columns"])
            ],
            "rows": rows,
            "list": True,
        }

    def figure(self, entry: dict, *, svg: bool = True) -> dict:
        if self.period.get("kind") != "year" and "on 31 March" in entry.get("title", ""):
            # A year-to-date dashboard counts on its last day: its titles say so.
            end = date.fromisoformat(self.period["end"])
            entry = {**entry, "title": entry["title"].replace("on 31 March", f"on {end:%-d %B %Y}")}
        tables, chart_specs = [self.headline(entry)], []  # type: ignore[var-annotated]
        for part in (self.breakdown, self.months):
            table, chart = part(entry)
            if table:
                tables.append(table)
            if chart:
                if table:
                    table["chart"] = len(chart_specs)
                chart_specs.append(chart)
        listing = self.listing(entry)
        if listing:
            tables.append(listing)
        view = {**entry, "tables": tables, "charts": chart_specs}
        # Its sentence, target and benchmarks (the same words on every page) and its note.
        view["headline"] = headlines.headline(view, self.previous_period.get("title", ""))
        view["note"] = headlines.note(entry)
        if self.period.get("kind") != "year" and entry.get("covers") == "on 31 March":
            # A year-to-date dashboard counts on its last day, not on 31 March.
            end = date.fromisoformat(self.period["end"])
            view["covers"] = f"on {end:%-d %B %Y}"
        if svg:
            view["svgs"] = [
                svg_for(spec, f"chart-{entry['id']}-{i}") for i, spec in enumerate(chart_specs)
            ]
            for table in tables:
                if "chart" in table:
                    table["svg"] = view["svgs"][table["chart"]]
        return view

    def sections(self, *, svg: bool = True) -> list[dict]:
        return [
            {**section, "figures": [self.figure(e, svg=svg) for e in section["figures"]]}
            for section in self.report["sections"]
        ]


def svg_for(spec: dict, chart_id: str) -> str:
    draw = {"bar": charts.bar_chart, "column": charts.column_chart, "line": charts.line_chart}
    return mark_safe(  # noqa: S308 - charts.py escapes every piece of text it writes
        draw[spec["type"]](
            chart_id, spec["title"], spec["labels"], spec["series"], unit=spec.get("unit", "")
        )
    )
