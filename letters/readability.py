"""How easy a text is to read, for the record written to the child: textstat's Flesch reading
ease (0 to 100, higher is easier) and a reading age from the Flesch-Kincaid grade (US school
grade + 5, the usual conversion to a UK reading age). Computed on the server; the page's script
only asks for it again as the IRO writes."""

from __future__ import annotations

from dataclasses import dataclass

import textstat

# Only so much text is scored: a record is far shorter, and the score needs no more.
MAX_SCORED_CHARACTERS = 10_000


@dataclass(frozen=True)
class Readability:
    reading_ease: float
    reading_age: float
    words: int

    @property
    def ease_label(self) -> str:
        """Flesch's own bands, in words a reader of the page knows."""
        ease = self.reading_ease
        if ease >= 80:
            return "easy to read"
        if ease >= 60:
            return "fairly easy to read"
        if ease >= 50:
            return "fairly hard to read"
        return "hard to read"

    @property
    def age_label(self) -> str:
        if self.reading_age >= 18:
            return "an adult's reading age"
        return f"reading age about {self.reading_age:.0f}"

    @property
    def summary(self) -> str:
        return (
            f"Reading ease {self.reading_ease:.0f} out of 100 ({self.ease_label}); {self.age_label}"
        )

    def as_dict(self) -> dict:
        return {
            "reading_ease": round(self.reading_ease, 1),
            "reading_age": round(self.reading_age, 1),
            "words": self.words,
            "summary": self.summary,
        }


def readability(text: str) -> Readability | None:
    """The scores of `text`, or None for a text with no words."""
    text = (text or "")[:MAX_SCORED_CHARACTERS]
    words = textstat.lexicon_count(text)
    if not words:
        return None
    ease = max(0.0, min(100.0, float(textstat.flesch_reading_ease(text))))
    age = max(5.0, float(textstat.flesch_kincaid_grade(text)) + 5)
    return Readability(reading_ease=ease, reading_age=age, words=words)
