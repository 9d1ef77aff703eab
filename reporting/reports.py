"""Reports are data: ordered lists of figure ids (docs/architecture.md, "Reporting").

The annual report takes every registered figure, section by section in ``SECTIONS`` order. The
scorecard and the board dashboard name their figures here; a figure that is not registered yet is
left out of the page with a note saying so, and appears as soon as its module registers it.
"""

from reporting.figures import REGISTRY

# The 15 figures published IRO annual reports share most widely (17 ids: IRO-01/02 and REV-12/13 are pairs),
# then allocation within 72 hours and review-record timeliness.
SCORECARD: list[str] = [
    "CLA-01",
    "REV-01",
    "REV-03",
    "REV-05",
    "REV-12",
    "REV-13",
    "IRO-01",
    "IRO-02",
    "CP-03",
    "CP-06",
    "CP-07",
    "CP-14",
    "CP-16",
    "DR-01",
    "DR-04",
    "DR-05",
    "DR-09",
    "ALC-01",
    "REC-01",
]

# The Corporate Parenting Board's dashboard: the same measures, and what children and families
# said in their feedback (aggregates only; a LIST figure shows its count, never its list).
BOARD: list[str] = [*SCORECARD, "FB-01", "FB-05"]

# How long computed dashboard and scorecard figures are kept before they are worked out again.
CACHE_SECONDS = 300


def registered(ids: list[str]) -> tuple[list[str], list[str]]:
    """Splits `ids` into those registered (in order) and those not registered yet."""
    present = [fid for fid in ids if fid in REGISTRY]
    missing = [fid for fid in ids if fid not in REGISTRY]
    return present, missing
