"""A count by DfE code with each code's share: the result of the figures that break a group down
along one code list (ethnicity, category of need, reason ceased)."""

from __future__ import annotations

from django.db import models

from iro import codes
from reporting.figures.base import Result, pct


def shares_by_code(
    counts: dict[str, int], code_list: type[models.TextChoices], heading: str
) -> Result:
    """value: the total; breakdown: `counts` as given (every code in order, zeros kept); table:
    each code's label (iro.codes), count of children and share of the total."""
    total = sum(counts.values())
    return Result(
        value=total,
        breakdown=counts,
        columns=[heading, "Children", "%"],
        table=[[codes.code_label(code_list, c), n, pct(n, total)] for c, n in counts.items()],
    )
