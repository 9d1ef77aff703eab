"""The figure library: every computed figure, one function per id (docs/figures.md).

Importing this package registers every figure (a module per area). See ``base`` for the API.
"""

from reporting.figures import (  # noqa: F401  (imported to register their figures)
    allocation,
    children_in_care,
    disputes,
    feedback,
    leaving_care,
    placements,
    protection,
    quality,
    records,
    reviews,
    scorecard,
    staffing,
)
from reporting.figures.base import (
    REGISTRY,
    SECTIONS,
    Better,
    Figure,
    Kind,
    Period,
    Result,
    breakdown_labels,
    compute_many,
    computing,
    figure,
    figures_in,
    get_figure,
    pct,
    rate_per_10k,
    shared,
)

__all__ = [
    "REGISTRY",
    "SECTIONS",
    "Better",
    "breakdown_labels",
    "Figure",
    "Kind",
    "Period",
    "Result",
    "compute_many",
    "computing",
    "figure",
    "figures_in",
    "get_figure",
    "pct",
    "rate_per_10k",
    "shared",
]
