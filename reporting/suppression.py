"""Small-number suppression (disclosure control) for published figures, and aggregates-only entries.

Applied when a report entry is rendered, from its stored ``Result`` data, never by changing a
figure. It follows the convention of the DfE's children's social care statistics (and the GSS
symbol for confidential figures):

- **Primary**: a count of 1 to 5 inclusive is not shown; ``c`` stands in its place. 0 is shown:
  it identifies no one.
- **Percentages, rates and averages**: withheld (``c``) when their numerator or denominator is
  withheld, since with the other number they would give the count back; a percentage in a
  breakdown whose implied count (percentage times the denominator) is 1 to 5 is withheld too.
- **Secondary**: no withheld cell may be worked out from what is shown. A breakdown and a monthly
  series are each a group whose cells may add up to the figure's value, numerator or
  denominator; in a group with a withheld cell and a shown total, the next smallest shown
  non-zero cell is withheld as well (DfE practice), until no withheld cell follows by arithmetic:
  at least two withheld cells in the group, and their shown remainder more than the number of
  withheld cells (withheld cells are at least 1, as 0 is shown, so two cells left to make 2 would
  be 1 each). A withheld total (a count of 1 to 5) with every cell of a group shown would be
  their sum, so the smallest non-zero cell is withheld with it. Percentages in a breakdown that
  add up to 100 are a group the same way.
- Direction of travel and RAG are withheld for a withheld value (they would narrow it down).

Primary and secondary cells carry the same symbol, so the page does not say which cells are the
small ones. ``tests/reporting/test_disclosure.py`` tries to recover every withheld cell of every
figure of a published snapshot from what is shown.
"""

from __future__ import annotations

import copy
from typing import Any

SUPPRESSED = "c"
# Former names: primary and secondary suppression now share the one symbol.
SMALL = WITHHELD = SUPPRESSED
SMALLEST_SHOWN = 6  # counts of 1 to 5 are withheld
LEGEND = (
    "c: not shown to protect confidentiality: a count of 1 to 5 children, or a figure (a count, "
    "percentage, rate or average) from which such a count could be worked out. 0 is shown."
)
# Figures whose value is not a count of people (an average, a maximum, the most common value).
AVERAGE_KINDS = ("PCT", "RATE", "MEAN")


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _small(value: Any) -> bool:
    return _count(value) and 1 <= value < SMALLEST_SHOWN


def _suppressed(value: Any) -> bool:
    return value == SUPPRESSED


def implied_count(percentage: float, denominator: int) -> int:
    """The count a percentage of `denominator` stands for (rounded as the figures round)."""
    return round(percentage * denominator / 100)


def _unsafe_totals(cells: dict, shown: dict, totals: list[str], out: dict) -> list[str] | None:
    """None when no withheld number of this group of counts follows from the others; else the
    shown totals that give one away (empty when only a cell can fix it).

    `totals` name the figure's numbers that the group adds up to."""
    hidden = [k for k in cells if _count(cells[k]) and _suppressed(shown[k])]
    shown_sum = sum(shown[k] for k in cells if _count(shown[k]))
    giving = []
    unsafe = False
    for total in totals:
        if _suppressed(out[total]):
            # A withheld total with every cell shown is their sum.
            unsafe = unsafe or not hidden
        elif hidden and (len(hidden) == 1 or out[total] - shown_sum <= len(hidden)):
            # One withheld cell is the remainder; n withheld cells (each at least 1, as 0 is
            # shown) making n are 1 each.
            unsafe = True
            giving.append(total)
    return giving if unsafe else None


def _protect_groups(groups: dict[str, dict], shown: dict[str, dict], data: dict, out: dict):
    """Secondary suppression: in each group of counts, withhold the next smallest shown non-zero
    cell until nothing withheld follows by arithmetic; a group that cannot be made safe that way
    has its total withheld, and the other groups are looked at again."""
    totals = {}
    for part, cells in groups.items():
        counted = [v for v in cells.values() if _count(v)]
        # The figure's numbers this group adds up to (a breakdown of the value, a monthly series
        # of a flow), judged from the stored figures, as someone with the page would try them.
        totals[part] = [
            k
            for k in ("value", "numerator", "denominator")
            if counted and _count(data.get(k)) and data[k] == sum(counted)
        ]
    changed = True
    while changed:
        changed = False
        for part, cells in groups.items():
            while (giving := _unsafe_totals(cells, shown[part], totals[part], out)) is not None:
                candidates = sorted(
                    (cells[k], k)
                    for k in cells
                    if _count(shown[part][k]) and _count(cells[k]) and cells[k] > 0
                )
                if candidates:
                    shown[part][candidates[0][1]] = SUPPRESSED
                elif giving:
                    for total in giving:
                        out[total] = SUPPRESSED
                    changed = True
                else:
                    break


def _protect_shares(cells: dict, out: dict) -> None:
    """Percentages that add up to 100 (a composition): one withheld share would be 100 minus
    the others, so the next smallest is withheld too."""
    shares = [k for k in cells if isinstance(cells[k], float)]
    if len(shares) < 2 or abs(sum(cells[k] for k in shares) - 100) > 0.5:
        return
    hidden = [k for k in shares if _suppressed(out[k])]
    if len(hidden) == 1:
        shown = sorted((cells[k], k) for k in shares if not _suppressed(out[k]) and cells[k] > 0)
        if shown:
            out[shown[0][1]] = SUPPRESSED


def _small_share(value: Any, denominator: Any, out: dict) -> bool:
    """A percentage in a breakdown: withheld with its numerator or denominator, or when it
    stands for 1 to 5 of the denominator."""
    if not isinstance(value, float):
        return False
    if _suppressed(out.get("denominator")) or _suppressed(out.get("numerator")):
        return True
    return _count(denominator) and 1 <= implied_count(value, denominator) < SMALLEST_SHOWN


def _dependent(out: dict, kind: str) -> None:
    """A percentage, rate or average goes with its numerator or denominator; a numerator goes
    with its denominator (it is no larger)."""
    if kind in AVERAGE_KINDS and (
        _suppressed(out.get("numerator")) or _suppressed(out.get("denominator"))
    ):
        if out.get("value") is not None:
            out["value"] = SUPPRESSED
        if _suppressed(out.get("denominator")) and _count(out.get("numerator")):
            out["numerator"] = SUPPRESSED


def suppress_result(data: dict, kind: str) -> dict:
    """A copy of a Result's data (``as_dict``) with small numbers suppressed."""
    out = copy.deepcopy(data)
    for key in ("numerator", "denominator"):
        if _small(out.get(key)):
            out[key] = SUPPRESSED
    value = out.get("value")
    if _small(value) and kind in ("COUNT", "LIST"):
        out["value"] = SUPPRESSED
    elif (
        kind == "PCT"
        and isinstance(value, float)
        and _count(out.get("denominator"))
        and 1 <= implied_count(value, out["denominator"]) < SMALLEST_SHOWN
    ):
        # A percentage of a shown denominator that stands for a small count.
        out["value"] = SUPPRESSED
        if _count(out.get("numerator")):
            out["numerator"] = SUPPRESSED
    _dependent(out, kind)
    groups = {
        part: data[part]
        for part in ("breakdown", "months")
        if isinstance(data.get(part), dict) and data[part]
    }
    denominator = data.get("denominator")
    if not _count(denominator) and kind not in AVERAGE_KINDS:
        denominator = data.get("value")
    shown = {
        part: {k: SUPPRESSED if _small(v) or _small_share(v, denominator, out) else v
               for k, v in cells.items()}
        for part, cells in groups.items()
    }  # fmt: skip
    _protect_groups(groups, shown, data, out)
    _dependent(out, kind)
    for part, cells in groups.items():
        for key, v in cells.items():
            if _small_share(v, denominator, out):
                shown[part][key] = SUPPRESSED
        _protect_shares(cells, shown[part])
        out[part] = shown[part]
    if out.get("table") is not None:
        out["table"] = [[SUPPRESSED if _small(c) else c for c in row] for row in out["table"]]
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
