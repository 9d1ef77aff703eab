"""The annual report's data: every registered figure, section by section, as plain JSON-able data.

`build_report(period)` computes each figure for the reporting year and the year before (one shared
run, see ``compute_many``), adds its target and RAG status, direction of travel and the published
benchmarks for the year, and returns a dict that the page, the charts, the XLSX/CSV/.docx exports
and a published snapshot all read. Nothing in it refers to a Python object, so it can be cached
and stored as JSON.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Min
from django.utils import timezone

from iro.db_router import reporting_reads
from reporting.figures import (
    REGISTRY,
    SECTIONS,
    Better,
    Figure,
    Kind,
    Period,
    Result,
    breakdown_labels,
    compute_many,
)
from reporting.headlines import note

DEFAULT_AMBER_MARGIN = 5.0
SCOPE_LABELS = {"england": "England", "region": "Region", "neighbours": "Statistical neighbours"}
RAG_LABELS = {"green": "Green", "amber": "Amber", "red": "Red"}


def period_data(period: Period) -> dict:
    return {
        "label": period.label,
        "title": period.title,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "kind": period.kind,
    }


def sections_of(entries: dict[str, dict], ids: list[str]) -> list[dict]:
    """The report's figure entries grouped by section, in the sections' order, figures in `ids`
    order; a section with none of them is left out."""
    sections = []
    for key, title in SECTIONS.items():
        figures = [entries[f] for f in ids if REGISTRY[f].section == key]
        if figures:
            sections.append({"key": key, "title": title, "figures": figures})
    return sections


def period_from(data: dict) -> Period:
    return Period(date.fromisoformat(data["start"]), date.fromisoformat(data["end"]), data["kind"])


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | Decimal):
        return float(value)
    return None


def rag(value: Any, target: Any, better: str, margin: Any = DEFAULT_AMBER_MARGIN) -> str | None:
    """Green at or beyond the target on the good side; amber within `margin` of it; red beyond.

    None when there is no target, no number, or the figure has no better direction.
    """
    value, target = _number(value), _number(target)
    margin = _number(margin)
    margin = DEFAULT_AMBER_MARGIN if margin is None else margin
    if value is None or target is None or better == Better.NEITHER:
        return None
    gap = value - target if better == Better.HIGHER else target - value
    if gap >= 0:
        return "green"
    if gap >= -margin:
        return "amber"
    return "red"


def direction(current: Any, previous: Any, better: str) -> dict | None:
    """Direction of travel from `previous` to `current`: up, down or same, and whether that is
    an improvement for a figure where higher (or lower) is better."""
    current, previous = _number(current), _number(previous)
    if current is None or previous is None:
        return None
    if current == previous:
        return {"arrow": "same", "label": "No change", "judgement": "same"}
    up = current > previous
    if better == Better.NEITHER:
        judgement = "neutral"
    else:
        judgement = "better" if up == (better == Better.HIGHER) else "worse"
    label = "Up" if up else "Down"
    if judgement in ("better", "worse"):
        label += ", " + ("improving" if judgement == "better" else "getting worse")
    return {"arrow": "up" if up else "down", "label": label, "judgement": judgement}


def targets_for(ids: list[str]) -> dict[str, tuple[float | None, float]]:
    """Each figure's target and amber margin in one query: the local setting when there is one,
    else the figure's definition (the same rule as ``context.target_for``)."""
    from reporting.models import Target

    local = {t.figure_id: t for t in Target.objects.filter(figure_id__in=ids)}
    out = {}
    for fid in ids:
        fig = REGISTRY[fid]
        if fid in local:
            out[fid] = (float(local[fid].value), float(local[fid].amber_margin))
        else:
            target = float(fig.target) if fig.target is not None else None
            out[fid] = (target, DEFAULT_AMBER_MARGIN)  # type: ignore[assignment]
    return out  # type: ignore[return-value]


def benchmarks_for(ids: list[str], year: int) -> dict[str, list[dict]]:
    """Published comparators per figure: for each scope, the latest year up to `year` (one query)."""
    from reporting.models import Benchmark

    out: dict[str, list[dict]] = {}
    seen = set()
    rows = Benchmark.objects.filter(figure_id__in=ids, year__lte=year).order_by(
        "figure_id", "scope", "-year"
    )
    for b in rows:
        if (b.figure_id, b.scope) in seen:
            continue
        seen.add((b.figure_id, b.scope))
        out.setdefault(b.figure_id, []).append(
            {
                "scope": b.scope,
                "label": SCOPE_LABELS.get(b.scope, b.scope),
                "year": b.year,
                "year_label": Period.year(b.year).title,
                "value": float(b.value),
                "source": b.source,
            }
        )
    order = list(SCOPE_LABELS)
    for items in out.values():
        items.sort(key=lambda i: order.index(i["scope"]) if i["scope"] in order else 99)
    return out


def figure_entry(
    fig: Figure,
    current: Result,
    previous: Result | None,
    *,
    target: float | None,
    margin: float,
    benchmarks: list[dict],
) -> dict:
    data = current.as_dict()
    before = previous.as_dict() if previous is not None else {}
    return {
        "id": fig.id,
        "title": fig.title,
        "kind": str(fig.kind),
        "unit": fig.unit,
        "covers": fig.covers,
        "better": str(fig.better),
        "section": fig.section,
        "has_rows": fig.has_rows,
        # A percentage's denominator is records (linkable) unless the figure says otherwise; a
        # count's or rate's denominator is a population, which has no records behind it.
        "denominator_rows": fig.kind == Kind.PCT and fig.extra.get("denominator_rows", True),
        "result": data,
        "previous": before,
        # What each breakdown key reads as (a code's meaning from iro.codes), stored with the
        # entry so a published snapshot keeps the labels it was published with.
        "labels": breakdown_labels(
            fig, [*(data.get("breakdown") or {}), *(before.get("breakdown") or {})]
        ),
        "target": target,
        "amber_margin": margin,
        "rag": rag(data.get("value"), target, fig.better, margin),
        "direction": direction(data.get("value"), before.get("value"), fig.better),
        "benchmarks": benchmarks,
    }


def build_entries(
    ids: list[str], period: Period, *, previous: bool = True, previous_period: Period | None = None
) -> dict[str, dict]:
    """Computes the figures `ids` for `period` (and the period before, or `previous_period`)
    as report entries."""
    computed = compute_many(ids, period, previous=previous, previous_period=previous_period)
    targets = targets_for(ids)
    marks = benchmarks_for(ids, Period.containing(period.end).start.year)
    entries = {}
    for fid in ids:
        item = computed[fid]
        target, margin = targets[fid]
        entries[fid] = figure_entry(
            item["figure"],
            item["result"],
            item.get("previous"),
            target=target,
            margin=margin,
            benchmarks=marks.get(fid, []),
        )
    return entries


def build_report(period: Period, *, figure_ids: list[str] | None = None) -> dict:
    """The annual report for `period`: sections in ``SECTIONS`` order, each with its figures."""
    ids = list(REGISTRY) if figure_ids is None else [f for f in figure_ids if f in REGISTRY]
    # Figures, targets and benchmarks alike: reporting reads, on the replica when one is set.
    with reporting_reads():
        entries = build_entries(ids, period)
    return {
        "kind": "annual",
        "title": f"IRO annual report {period.title}",
        "period": period_data(period),
        "previous_period": period_data(period.previous()),
        "as_at": timezone.localtime().isoformat(timespec="seconds"),
        "sections": sections_of(entries, ids),
        "skipped": [],
    }


def _json_item(entry: dict) -> dict:
    data = entry["result"]
    item = {
        "title": entry["title"],
        "kind": entry["kind"],
        "value": data.get("value"),
        "previous": entry["previous"].get("value"),
    }
    for key in ("numerator", "denominator", "breakdown", "months", "columns", "table"):
        if key in data:
            item[key] = data[key]
    if note(entry):
        item["note"] = note(entry)
    if entry.get("labels"):
        # Breakdown keys stay codes (for machines); what a person reads is beside them. A code
        # written in a table's cell (IRO-05's "M") reads as its label, as on the page.
        labels = entry["labels"]
        item["breakdown_labels"] = labels
        if item.get("table"):
            item["table"] = [
                [labels.get(v, v) if isinstance(v, str) else v for v in row]
                for row in item["table"]
            ]
    return item


def report_json(period: Period) -> dict:
    """The shape `annual_report --json` prints (see the README, "Reporting")."""
    entries = build_entries(list(REGISTRY), period)
    return {
        "year": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "figures": {fid: _json_item(entry) for fid, entry in entries.items()},
    }


def report_json_from(report: dict) -> dict:
    """`report_json`'s shape from an annual report already built (`build_report`, cached by
    the page): the JSON download, keyed by figure id, with the unit and the as-at time."""
    period = report["period"]
    figures = {}
    for section in report["sections"]:
        for entry in section["figures"]:
            figures[entry["id"]] = {
                **_json_item(entry),
                "unit": "%" if entry["kind"] == "PCT" else entry.get("unit") or "",
                "section": section["title"],
            }
    return {
        "title": report["title"],
        "year": period["label"],
        "start": period["start"],
        "end": period["end"],
        "as_at": report["as_at"],
        "figures": figures,
    }


def years_with_data(today: date | None = None, *, first_start: date | None = None) -> list[int]:
    """Reporting years (by start year, newest first) from the first care episode to this year
    (`first_start`, when the caller has it already: reporting.caching.reporting_years)."""
    first_start = first_start or first_episode_start()
    if first_start is None:
        return []
    today = today or timezone.localdate()
    first = Period.containing(first_start).start.year
    last = Period.containing(today).start.year
    return list(range(last, first - 1, -1))


def first_episode_start() -> date | None:
    """The start of the first care episode held, or None."""
    from iro.models import CareEpisode

    return CareEpisode.objects.aggregate(first=Min("start"))["first"]


__all__ = [
    "Kind",
    "benchmarks_for",
    "build_entries",
    "build_report",
    "direction",
    "period_data",
    "period_from",
    "rag",
    "report_json",
    "report_json_from",
    "targets_for",
    "years_with_data",
]
