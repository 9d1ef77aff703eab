"""Small-number suppression for papers that will be published, and aggregates-only entries.

Applied when a report entry is rendered, from its ``Result`` data, never by changing a figure:

- **Primary**: a count of 1 to 4 is shown as ``"<5"`` (0 is shown: it identifies no one).
- **Percentages and rates**: when the numerator or denominator is suppressed, the percentage is
  withheld too (``"[c]"``), since with the other number it would give the count back.
- **Secondary**: in a group of counts (a breakdown or a monthly series) with exactly one cell
  suppressed, the smallest other non-zero cell is withheld as well, so that the suppressed cell
  cannot be worked out from the total. A percentage in a breakdown whose count (percentage times
  the denominator) would be 1 to 4 is withheld.
- Direction of travel and RAG are withheld for a suppressed value (they would narrow it down).
"""

from __future__ import annotations

import copy
from typing import Any

SMALL = "<5"
WITHHELD = "[c]"
LEGEND = (
    "<5: a count of 1 to 4, not shown so that no child can be identified. "
    "[c]: withheld so that a suppressed number cannot be worked out from the others."
)


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _small(value: Any) -> bool:
    return _count(value) and 1 <= value <= 4


def _suppressed(value: Any) -> bool:
    return value in (SMALL, WITHHELD)


def _numeric(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _group(cells: dict, denominator: Any) -> dict:
    """Suppresses a breakdown or monthly series of counts (or percentages of `denominator`)."""
    out = dict(cells)
    for key, value in cells.items():
        if _small(value):
            out[key] = SMALL
        elif isinstance(value, float) and _count(denominator):
            if 1 <= round(value * denominator / 100) <= 4:
                out[key] = WITHHELD
        elif isinstance(value, float) and _suppressed(denominator):
            out[key] = WITHHELD
    numeric = [k for k, v in cells.items() if _numeric(v)]
    primary = [k for k in numeric if _suppressed(out[k])]
    if len(primary) == 1 and len(numeric) > 1:
        others = [(cells[k], k) for k in numeric if not _suppressed(out[k]) and cells[k] > 0]
        if others:
            out[min(others)[1]] = WITHHELD
    return out


def suppress_result(data: dict, kind: str) -> dict:
    """A copy of a Result's data (``as_dict``) with small numbers suppressed."""
    out = copy.deepcopy(data)
    for key in ("numerator", "denominator"):
        if _small(out.get(key)):
            out[key] = SMALL
    value = out.get("value")
    if _small(value) and kind in ("COUNT", "LIST"):
        out["value"] = SMALL
    elif kind in ("PCT", "RATE") and (
        _suppressed(out.get("numerator")) or _suppressed(out.get("denominator"))
    ):
        if value is not None:
            out["value"] = WITHHELD
        if _suppressed(out.get("denominator")) and _count(out.get("numerator")):
            out["numerator"] = WITHHELD
    for part in ("breakdown", "months"):
        cells = out.get(part)
        if isinstance(cells, dict) and cells:
            denominator = out.get("denominator") if kind == "PCT" else out.get("value")
            out[part] = _group(cells, denominator)
    if out.get("table") is not None:
        out["table"] = [[SMALL if _small(c) else c for c in row] for row in out["table"]]
    return out


def suppress_entry(entry: dict) -> dict:
    """A report entry with its current and previous results suppressed."""
    out = dict(entry)
    out["result"] = suppress_result(entry["result"], entry["kind"])
    out["previous"] = suppress_result(entry.get("previous") or {}, entry["kind"])
    if _suppressed(out["result"].get("value")) or _suppressed(out["previous"].get("value")):
        out["direction"] = None
    if _suppressed(out["result"].get("value")):
        out["rag"] = None
    return out


def aggregates_only(entry: dict) -> dict:
    """An entry fit for the board: no list of records (a LIST figure keeps its count) and no
    drill-down."""
    out = copy.deepcopy(entry)
    out["has_rows"] = False
    out["denominator_rows"] = False
    for data in (out["result"], out.get("previous") or {}):
        if entry["kind"] == "LIST" or data.get("columns"):
            data.pop("columns", None)
            data.pop("table", None)
    return out


def report_for_board(report: dict, *, suppress: bool) -> dict:
    """The report with every entry made aggregates-only (and suppressed when asked)."""
    out = dict(report)
    sections = []
    for section in report["sections"]:
        figures = [aggregates_only(e) for e in section["figures"]]
        if suppress:
            figures = [suppress_entry(e) for e in figures]
        sections.append({**section, "figures": figures})
    out["sections"] = sections
    out["suppressed"] = suppress
    return out
