"""An attacker's view of a published figure: what can be worked out from what is shown.

Written independently of reporting/suppression.py: it takes a figure's stored data (the truth)
and the data as shown, and tries every way the issue names to recover a withheld cell:

- a shown count of 1 to 5 (nothing to recover: it is on the page);
- linear arithmetic over each breakdown and monthly series and each of the figure's numbers it
  adds up to (value, numerator, denominator), solved exactly (Gaussian elimination over
  fractions), with every withheld count known to be at least 1 since 0 is shown (so n withheld
  cells making n are 1 each);
- a percentage with its denominator shown gives its numerator, and with its numerator shown its
  denominator (when exactly one whole number fits the rounding); a shown percentage standing for
  1 to 5 of a shown denominator; shares of 100 with one withheld;
- a percentage, rate or average shown while its numerator or denominator is withheld.

The relations tried are those that hold in the stored data: the strongest attacker, who guesses
every true relation. Each finding is a sentence naming the figure and cell.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from reporting.figures.base import pct

HIDDEN = "c"
TOTALS = ("value", "numerator", "denominator")


def _count(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _cells(data: dict) -> dict[tuple, Any]:
    """Every number of a result by position: ("value",), ("breakdown", key), ("months", key)."""
    out = {(k,): data[k] for k in TOTALS if k in data}
    for part in ("breakdown", "months"):
        for key, v in (data.get(part) or {}).items():
            out[(part, key)] = v
    return out


def _solve(equations: list[dict[tuple, Fraction]], constants: list[Fraction]) -> dict:
    """Unknowns fixed by the linear system (each equation: sum of coef*x = constant)."""
    rows = [(dict(eq), c) for eq, c in zip(equations, constants, strict=True) if eq]
    unknowns = sorted({u for eq, _ in rows for u in eq}, key=str)
    pivots = []
    for u in unknowns:
        pivot = next((i for i, (eq, _) in enumerate(rows) if eq.get(u) and i >= len(pivots)), None)
        if pivot is None:
            continue
        rows[len(pivots)], rows[pivot] = rows[pivot], rows[len(pivots)]
        eq, c = rows[len(pivots)]
        f = eq[u]
        eq = {k: v / f for k, v in eq.items()}
        c = c / f
        rows[len(pivots)] = (eq, c)
        for i, (other, oc) in enumerate(rows):
            if i != len(pivots) and other.get(u):
                g = other[u]
                merged = dict(other)
                for k, v in eq.items():
                    merged[k] = merged.get(k, 0) - g * v
                rows[i] = ({k: v for k, v in merged.items() if v}, oc - g * c)
        pivots.append(u)
    fixed = {}
    for eq, c in rows:
        if len(eq) == 1:
            ((u, coef),) = eq.items()
            fixed[u] = c / coef
    return fixed


def findings(fid: str, kind: str, true: dict, shown: dict) -> list[str]:
    """Everything about withheld cells of one result that can be worked out from `shown`."""
    problems = []
    t, s = _cells(true), _cells(shown)
    hidden = {p for p, v in s.items() if v == HIDDEN and isinstance(t.get(p), int | float)}

    for p, v in s.items():
        counted = (
            p[0] in ("breakdown", "months")
            or p[0] in ("numerator", "denominator")
            or (p == ("value",) and kind in ("COUNT", "LIST"))
        )
        if counted and _count(v) and 1 <= v <= 5:
            problems.append(f"{fid} {p}: a count of {v} is shown")

    # Linear arithmetic over groups and their true totals.
    equations, constants = [], []
    for part in ("breakdown", "months"):
        group = {k: v for k, v in (true.get(part) or {}).items() if _count(v)}
        if not group:
            continue
        for total in TOTALS:
            if not (_count(true.get(total)) and true[total] == sum(group.values())):
                continue
            eq, const = {}, Fraction(0)
            members = [((total,), 1)] + [((part, k), -1) for k in group]
            for pos, sign in members:
                if pos in hidden:
                    eq[pos] = Fraction(sign)
                else:
                    const -= sign * s[pos]
            equations.append(eq)
            constants.append(const)
            cells_hidden = [pos for pos, _ in members[1:] if pos in hidden]
            if (total,) not in hidden and cells_hidden:
                remainder = s[(total,)] - sum(s[pos] for pos, _ in members[1:] if pos not in hidden)
                if remainder == len(cells_hidden):
                    problems.append(
                        f"{fid} {part}: {len(cells_hidden)} withheld cells make {remainder}: 1 each"
                    )
    for pos, value in _solve(equations, constants).items():
        if value == t[pos]:
            problems.append(f"{fid} {pos}: worked out as {value} from the shown cells and total")

    # Percentages.
    val, num, den = (s.get((k,)) for k in TOTALS)
    if kind == "PCT" and isinstance(val, float):
        if _count(den) and ("numerator",) in hidden:
            fits = [n for n in range(den + 1) if pct(n, den) == val]
            if fits == [t[("numerator",)]]:
                problems.append(f"{fid}: numerator {fits[0]} from the percentage and denominator")
        if _count(num) and num > 0 and ("denominator",) in hidden:
            fits = [d for d in range(num, num * 1000 + 1) if pct(num, d) == val]
            if fits == [t[("denominator",)]]:
                problems.append(f"{fid}: denominator {fits[0]} from the percentage and numerator")
        if _count(den) and 1 <= round(val * den / 100) <= 5:
            problems.append(f"{fid}: {val}% of {den} is a count of 1 to 5")
    if kind in ("PCT", "RATE", "MEAN") and val not in (None, HIDDEN):
        for k in ("numerator", "denominator"):
            if (k,) in hidden:
                problems.append(f"{fid}: the {kind.lower()} is shown with its {k} withheld")
    for part in ("breakdown", "months"):
        shares = {k: v for k, v in (true.get(part) or {}).items() if isinstance(v, float)}
        if not shares:
            continue
        denominator = s.get(("denominator",))
        if not _count(denominator) and kind not in ("PCT", "RATE", "MEAN"):
            denominator = s.get(("value",))
        for k, v in shares.items():
            if s[(part, k)] == HIDDEN:
                continue
            if _count(denominator) and 1 <= round(v * denominator / 100) <= 5:
                problems.append(f"{fid} {part} {k}: {v}% of {denominator} is 1 to 5")
            if ("numerator",) in hidden or ("denominator",) in hidden:
                problems.append(f"{fid} {part} {k}: a percentage shown with a withheld count")
        withheld = [k for k in shares if s[(part, k)] == HIDDEN]
        if len(withheld) == 1 and len(shares) > 1 and abs(sum(shares.values()) - 100) <= 0.5:
            problems.append(f"{fid} {part} {withheld[0]}: 100% less the other shares")
    return problems


def report_findings(true_report: dict, shown_report: dict) -> tuple[list[str], int, int]:
    """Findings over every figure (this period and the one before) of a report, with how many
    results were checked and how many cells were withheld."""
    shown = {e["id"]: e for sec in shown_report["sections"] for e in sec["figures"]}
    problems, results, withheld = [], 0, 0
    for section in true_report["sections"]:
        for entry in section["figures"]:
            out = shown[entry["id"]]
            for part in ("result", "previous"):
                true = entry.get(part) or {}
                seen = out.get(part) or {}
                problems += findings(f"{entry['id']} ({part})", entry["kind"], true, seen)
                results += 1
                withheld += sum(1 for v in _cells(seen).values() if v == HIDDEN)
            if out["result"].get("value") == HIDDEN and out.get("rag") is not None:
                problems.append(f"{entry['id']}: RAG shown for a withheld value")
    return problems, results, withheld
