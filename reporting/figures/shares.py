"""A count of children by key with each key's share: the result of the figures that break a group
down along one dimension (sex, age band, ethnicity, category of need, reason ceased)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

from iro import codes
from reporting.figures.base import Result, pct


def shares(
    counts: dict[str, int], heading: str, label: Callable[[str], str] = str, unit="Children"
) -> Result:
    """value: the total; breakdown: `counts` as given (in order, zeros kept); table: each key as
    `label` writes it, its count and its share of the total."""
    total = sum(counts.values())
    return Result(
        value=total,
        breakdown=counts,
        columns=[heading, unit, "%"],
        table=[[label(k), n, pct(n, total)] for k, n in counts.items()],
    )


def shares_by_code(
    counts: dict[str, int], code_list: type[models.TextChoices], heading: str
) -> Result:
    """`shares` of DfE codes, each shown by its label from the code list (iro.codes)."""
    return shares(counts, heading, lambda code: codes.code_label(code_list, code))
