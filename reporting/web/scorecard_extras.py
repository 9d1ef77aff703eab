"""What the scorecard page adds to its data: the months a reader can pick, and RAG in words."""

from __future__ import annotations

from reporting.dashboard_data import months_with_data
from reporting.figures import Period

# RAG compares the latest month with its target (reporting.annual_data.rag): the words say so,
# so that the status does not rest on colour alone.
_RAG_WORDS = {
    ("green", "higher"): "Green: meets target",
    ("green", "lower"): "Green: meets target",
    ("amber", "higher"): "Amber: just below target",
    ("amber", "lower"): "Amber: just above target",
    ("red", "higher"): "Red: below target",
    ("red", "lower"): "Red: above target",
}


def rag_words(rag: str | None, better: str) -> str:
    if not rag:
        return ""
    return _RAG_WORDS.get((rag, better), rag.capitalize())


def month_choices(end: Period) -> list[tuple[str, str]]:
    """(value, label) for the month picker: every complete month with data, newest first; the
    month shown is always among them."""
    months = months_with_data()
    if end not in months:
        months = sorted([*months, end], reverse=True)
    return [(m.label, m.title) for m in months]
