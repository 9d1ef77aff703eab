"""Headline figures in plain sentences: what each section of the annual report opens with.

A report entry (``annual_data.figure_entry``) becomes a sentence such as "198 of 212 reviews
(93%) were held on time, up from 89% in 2023/24 (better)", followed by its target and its
benchmarks said the same way for every figure that has them (``comparators``). The words for a
figure's things ("review", "reviews") and what happened to them ("was held on time") are in
``PHRASES``; a figure without a phrase reads "Its title: value". Numbers come from the entry
only, never from the words, so a sentence always says what the tables say.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# The figures each section opens with, in the order they are read; the first screen's summary
# is the first of them in each section that names a timescale, a count of children or a target.
HEADLINES: dict[str, list[str]] = {
    "children_in_care": ["CLA-01", "CLA-10", "CLA-13", "CLA-14"],
    "placements": ["PLC-05", "PLC-08", "PLC-06"],
    "leaving_care": ["LVC-01", "LVC-05", "LVC-06"],
    "reviews": ["REV-01", "REV-03", "REV-05", "REV-09"],
    "review_records": ["REC-01"],
    "caseloads": ["IRO-01", "IRO-03", "IRO-04"],
    "allocation": ["ALC-01", "ALC-02"],
    "child_protection": ["CP-07", "CP-03", "CP-06", "CP-16"],
    "quality": ["QA-02", "QA-03"],
    "disputes": ["DR-01", "DR-04", "DR-05", "DR-09"],
    "scorecard": ["SC-03", "SC-07"],
}

SUMMARY: list[str] = [
    "CLA-01",
    "CLA-10",
    "LVC-01",
    "REV-03",
    "REV-05",
    "REC-01",
    "IRO-01",
    "ALC-01",
    "CP-07",
    "CP-03",
    "CP-06",
    "DR-05",
]


@dataclass(frozen=True)
class Phrase:
    """How a figure reads. `noun` is (one, many) of the things counted; `verb` is (one, many) of
    what happened to them. A percentage reads "n of d nouns (p%) verb", a count "n nouns verb"; an
    average or rate uses `value` ("An IRP took {value} to resolve"), with {value} the number and
    its unit, {number} the number alone."""

    noun: tuple[str, str] = ("", "")
    verb: tuple[str, str] = ("", "")
    value: str = ""


CHILD = ("child", "children")
WAS_LOOKED_AFTER = ("was looked after on 31 March", "were looked after on 31 March")

PHRASES: dict[str, Phrase] = {
    "CLA-01": Phrase(CHILD, WAS_LOOKED_AFTER),
    "CLA-05": Phrase(CHILD, ("was looked after at some time in the year",) * 2),
    "CLA-10": Phrase(CHILD, ("started to be looked after in the year",) * 2),
    "CLA-13": Phrase(
        ("child looked after on 31 March", "children looked after on 31 March"),
        ("was in care because of abuse or neglect", "were in care because of abuse or neglect"),
    ),
    "CLA-14": Phrase(
        ("unaccompanied asylum-seeking child", "unaccompanied asylum-seeking children"),
        WAS_LOOKED_AFTER,
    ),
    "PLC-05": Phrase(
        ("child looked after on 31 March", "children looked after on 31 March"),
        ("lived with a family", "lived with a family"),
    ),
    "PLC-06": Phrase(
        ("child looked after on 31 March", "children looked after on 31 March"),
        ("was placed more than 20 miles from home", "were placed more than 20 miles from home"),
    ),
    "PLC-07": Phrase(
        ("child looked after on 31 March", "children looked after on 31 March"),
        ("lived in their preferred placement",) * 2,
    ),
    "PLC-08": Phrase(
        ("child looked after on 31 March", "children looked after on 31 March"),
        ("had 3 or more placements in the year",) * 2,
    ),
    "LVC-01": Phrase(CHILD, ("stopped being looked after in the year",) * 2),
    "LVC-05": Phrase(
        ("child who left care", "children who left care"),
        ("left to a permanent order",) * 2,
    ),
    "LVC-06": Phrase(
        ("adoption order", "adoption orders"), ("was made in the year", "were made in the year")
    ),
    "LVC-07": Phrase(("young person", "young people"), ("stayed put with their carers at 18",) * 2),
    "REV-01": Phrase(
        ("looked-after review", "looked-after reviews"),
        ("was held in the year", "were held in the year"),
    ),
    "REV-03": Phrase(("review", "reviews"), ("was held on time", "were held on time")),
    "REV-05": Phrase(
        ("review of a child aged 4 or over", "reviews of children aged 4 or over"),
        ("had the child taking part",) * 2,
    ),
    "REV-06": Phrase(("review", "reviews"), ("had the child there",) * 2),
    "REV-09": Phrase(
        ("review", "reviews"), ("followed the IRO seeing or contacting the child beforehand",) * 2
    ),
    "REC-01": Phrase(value="The review record was sent out {value} after the review, on average"),
    "IRO-01": Phrase(value="Each full-time IRO had {number} looked-after children on 31 March"),
    "IRO-03": Phrase(value="The IRO establishment on 31 March was {value}"),
    "IRO-04": Phrase(("IRO", "IROs"), ("left the service in the year",) * 2),
    "ALC-01": Phrase(
        ("notification", "notifications"),
        ("was met by a named IRO within 72 hours", "were met by a named IRO within 72 hours"),
    ),
    "ALC-02": Phrase(
        ("child with a brother or sister in care", "children with a brother or sister in care"),
        ("shared their IRO",) * 2,
    ),
    "CP-01": Phrase(
        CHILD,
        ("was at an initial conference in the year", "were at initial conferences in the year"),
    ),
    "CP-03": Phrase(
        ("child at an initial conference", "children at initial conferences"),
        ("had it within 15 working days of the strategy discussion",) * 2,
    ),
    "CP-06": Phrase(
        ("child at a review conference", "children at review conferences"),
        ("had it on or before its due date",) * 2,
    ),
    "CP-07": Phrase(
        CHILD,
        (
            "was on a child protection plan on 31 March",
            "were on a child protection plan on 31 March",
        ),
    ),
    "CP-08": Phrase(
        ("child protection plan", "child protection plans"),
        ("was started in the year", "were started in the year"),
    ),
    "CP-16": Phrase(
        ("plan started", "plans started"),
        ("was a second or later plan", "were a second or later plan"),
    ),
    "QA-02": Phrase(
        ("IRO monitoring check", "IRO monitoring checks"),
        ("was completed in the year", "were completed in the year"),
    ),
    "QA-03": Phrase(
        ("monitoring check", "monitoring checks"), ("found the care plan up to date",) * 2
    ),
    "DR-01": Phrase(
        CHILD,
        (
            "was the subject of an IRP raised in the year",
            "were the subject of IRPs raised in the year",
        ),
    ),
    "DR-04": Phrase(
        ("IRP resolved", "IRPs resolved"), ("was resolved at stage 1", "were resolved at stage 1")
    ),
    "DR-05": Phrase(value="An IRP took {value} to resolve, on average"),
    "DR-09": Phrase(
        ("informal IRO concern", "informal IRO concerns"),
        ("was raised in the year", "were raised in the year"),
    ),
}
RAG_WORDS = {
    "green": "Green: target met",
    "amber": "Amber: close to the target",
    "red": "Red: target missed",
}


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | Decimal):
        return float(value)
    return None


def number(value: Any) -> str:
    """A count with thousands separators; other numbers to one decimal place, without ".0"."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    v = _num(value)
    if v is None:
        return str(value) if value not in (None, "") else "no figure"
    return f"{v:,.0f}" if round(v, 1).is_integer() else f"{v:,.1f}"


def percent(value: Any) -> str:
    """A percentage to one decimal place, as the seed reports print them ("95.6%", "94.0%")."""
    v = _num(value)
    return f"{v:,.1f}%" if v is not None else number(value)


def with_unit(value: Any, entry: dict) -> str:
    """The value as it is read in a sentence: "93%", "68.2 children per FTE", "2,200"."""
    if entry.get("kind") == "PCT":
        return percent(value)
    unit = entry.get("unit") or ""
    text = number(value)
    if not unit or _num(value) is None:
        return text
    if unit.endswith("days") and _num(value) == 1:
        unit = unit[:-1]  # "1 working day"
    return f"{text} {unit}"


def one(n: Any) -> bool:
    return _num(n) == 1


def _statement(entry: dict) -> str:
    """The figure's number for this year as a clause, without the comparison."""
    data = entry.get("result") or {}
    value = data.get("value")
    phrase = PHRASES.get(entry.get("id", ""))
    kind = entry.get("kind")
    if phrase and phrase.value:
        return phrase.value.format(value=with_unit(value, entry), number=number(value))
    num, den = data.get("numerator"), data.get("denominator")
    if kind == "PCT" and _num(den) == 0:
        # Nothing to count (no reviews in the year): no percentage, said in words.
        return f"{entry.get('title', '')}: none to count, so no figure"
    if phrase and kind == "PCT" and _num(num) is not None and _num(den) is not None:
        noun = phrase.noun[0 if one(den) else 1]
        verb = phrase.verb[0 if one(num) else 1]
        return f"{number(num)} of {number(den)} {noun} ({percent(value)}) {verb}"
    if phrase and kind in ("COUNT", "LIST") and _num(value) is not None:
        noun = phrase.noun[0 if one(value) else 1]
        verb = phrase.verb[0 if one(value) else 1]
        return f"{number(value)} {noun} {verb}"
    text = f"{entry.get('title', '')}: {with_unit(value, entry)}"
    if kind == "PCT" and _num(num) is not None and _num(den) is not None:
        text += f" ({number(num)} of {number(den)})"
    return text


def comparison(entry: dict, previous_title: str) -> str:
    """ ", up from 89% in 2023/24 (better)", or "" when last year has no number."""
    now = _num((entry.get("result") or {}).get("value"))
    before_value = (entry.get("previous") or {}).get("value")
    before = _num(before_value)
    if now is None or before is None:
        return ""
    then = f" in {previous_title}" if previous_title else " last year"
    shown = with_unit(before_value, entry)
    if number(now) == number(before):
        return f", the same as{then}"
    word = "up" if now > before else "down"
    judgement = (entry.get("direction") or {}).get("judgement")
    verdict = {"better": " (better)", "worse": " (worse)"}.get(judgement or "", "")
    return f", {word} from {shown}{then}{verdict}"


def sentence(entry: dict, previous_title: str = "") -> str:
    """The headline sentence of one figure: this year, last year and the direction."""
    return _statement(entry) + comparison(entry, previous_title) + "."


def comparators(entry: dict) -> dict:
    """The figure's target and benchmarks, said the same way wherever a figure has them.

    ``target``: "Target: 95% or more" (None without a target); ``rag``: the RAG key and
    ``rag_text`` its words; ``benchmarks``: "England 2023/24: 91%" for each loaded benchmark.
    A figure with neither has an empty ``benchmarks`` list and no target: nothing is shown."""
    target = entry.get("target")
    better = entry.get("better")
    target_text = None
    goal = _num(target)
    if goal is not None:
        side = {"higher": " or more", "lower": " or less"}.get(str(better), "")
        shown = with_unit(target, entry)
        if entry.get("kind") == "PCT" and goal.is_integer():
            shown = f"{int(goal)}%"  # a target is a round number: "95%"
        target_text = f"Target: {shown}{side}"
    rag = entry.get("rag") if target_text else None
    marks = [
        f"{b['label']} {b.get('year_label', '')}: {with_unit(b['value'], entry)}".replace(" :", ":")
        for b in entry.get("benchmarks") or []
    ]
    return {
        "target": target_text,
        "rag": rag,
        "rag_text": RAG_WORDS.get(rag or "", ""),
        "benchmarks": marks,
        "any": bool(target_text or marks),
    }


def note(entry: dict) -> str:
    """The figure's note for a reader. A note listing benchmarks ("Benchmarks: none loaded") is
    left out: the benchmarks loaded for the figure are shown by ``comparators`` instead."""
    text = str((entry.get("result") or {}).get("note") or "")
    return "" if text.startswith("Benchmarks:") else text


def headline(entry: dict, previous_title: str = "") -> dict:
    return {
        "id": entry.get("id"),
        "title": entry.get("title"),
        "text": sentence(entry, previous_title),
        **comparators(entry),
    }


def section_headlines(section: dict, previous_title: str = "") -> list[dict]:
    by_id = {e["id"]: e for e in section.get("figures") or []}
    return [
        headline(by_id[fid], previous_title)
        for fid in HEADLINES.get(section.get("key", ""), [])
        if fid in by_id
    ]


def summary(report: dict) -> list[dict]:
    """The first screen: the key headline of the service, in SUMMARY order."""
    previous_title = (report.get("previous_period") or {}).get("title", "")
    by_id = {e["id"]: e for s in report.get("sections") or [] for e in s.get("figures") or []}
    return [headline(by_id[fid], previous_title) for fid in SUMMARY if fid in by_id]
