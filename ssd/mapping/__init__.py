"""The declarative mapping from SSD tables to the service's models, one module per subject.

Each simple table is a list of `Field`s (SSD column <-> model attribute, with its kind and, for a
code, the code list in iro.codes it must belong to and the SSD spellings that translate to it).
The exporter writes a record's fields through the same list the importer reads them with, so a
round trip is the proof of the mapping. Tables whose rows join others (an episode takes its legal
status and placement from two more tables) say so in their module.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation


class CodeProblem(ValueError):
    """A code outside the code list: the row is refused and the code listed as unmapped."""

    def __init__(self, column: str, raw: str):
        super().__init__(f"unknown code in {column}: '{raw}'")
        self.column, self.raw = column, raw


@dataclass(frozen=True)
class Field:
    column: str
    attr: str
    kind: str = "text"  # text, date, code, bool, decimal
    codes: type | None = None  # a TextChoices of iro.codes (or a model's choices)
    synonyms: dict = field(default_factory=dict)  # SSD spelling (upper case) -> service code
    max_length: int | None = None

    def parse(self, raw):
        """The service's value for the SSD cell (dates arrive parsed by the reader)."""
        if self.kind == "date":
            return raw
        text = (raw or "").strip()
        if self.kind == "bool":
            if not text:
                return None
            upper = text.upper()
            if upper in ("Y", "YES", "1", "TRUE"):
                return True
            if upper in ("N", "NO", "0", "FALSE"):
                return False
            raise CodeProblem(self.column, text)
        if self.kind == "decimal":
            if not text:
                return None
            try:
                return Decimal(text)
            except InvalidOperation:
                raise ValueError(f"{self.column}: '{text}' is not a number") from None
        if self.kind == "code":
            return translate(self.column, text, self.codes, self.synonyms)
        if self.max_length and len(text) > self.max_length:
            raise ValueError(f"{self.column} is longer than {self.max_length} characters")
        return text

    def format(self, value) -> str:
        """The SSD cell for the service's value."""
        if value is None or value == "":
            return ""
        if isinstance(value, bool):
            return "Y" if value else "N"
        if isinstance(value, date):
            return f"{value.isoformat()} 00:00:00.000"
        return str(value)


def translate(column: str, raw: str, codes, synonyms: dict) -> str:
    """The code in the service's code list for an SSD value: the code itself, or a known SSD
    spelling of it ('Male' for M). Blank stays blank; anything else is a CodeProblem."""
    if not raw:
        return ""
    upper = raw.strip().upper()
    if upper in synonyms:
        return synonyms[upper]
    if codes is not None:
        values = {v.upper(): v for v in codes.values}
        if upper in values:
            return values[upper]
        labels = {str(label).upper(): v for v, label in codes.choices}
        if upper in labels:
            return labels[upper]
    raise CodeProblem(column, raw)


def parse_fields(fields: list[Field], values: dict) -> tuple[dict, list[tuple[str, str, str]]]:
    """The service values of a row's mapped fields, and its problems as (column, reason, code):
    code is the unmapped code for a CodeProblem, blank otherwise. Columns missing from the
    extract are left out (never guessed as blank)."""
    out, problems = {}, []
    for f in fields:
        if f.column not in values:
            continue
        try:
            out[f.attr] = f.parse(values[f.column])
        except CodeProblem as exc:
            problems.append((f.column, str(exc), exc.raw))
        except ValueError as exc:
            problems.append((f.column, str(exc), ""))
    return out, problems


def format_fields(fields: list[Field], obj) -> dict:
    return {f.column: f.format(getattr(obj, f.attr)) for f in fields}


def row_hash(values: dict) -> str:
    """A digest of a row's mapped values: the same values give the same digest, run after run."""
    text = repr(sorted((k, str(v)) for k, v in values.items()))
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()
