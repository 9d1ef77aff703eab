"""The rates and mixes the synthetic concerns and IRPs follow (see the package's docstring for
their sources), and the responders the ladder gets when a level has none.
"""

from escalations.models import (
    Category,
    OutcomeQuality,
    PracticeConcern,
)

CONCERNS_PER_CHILD_YEAR = 0.28
FROM_CONCERN = 0.3  # share of IRPs raised from an earlier IRO concern
IRPS_PER_CHILD_YEAR = 0.0625

CATEGORY_WEIGHTS = [
    (Category.DRIFT_AND_DELAY, 48),
    (Category.CARE_PLAN, 18),
    (Category.PRACTICE, 20),
    (Category.PROCEDURES, 5),
    (Category.PLACEMENT, 4),
    (Category.RECORDING, 2),
    (Category.LEGAL_STATUS, 1),
    (Category.OTHER, 2),
]
PRACTICE_KINDS = [c for c in PracticeConcern.values if c]
# Where an IRP ends: resolved at stage 1..4, referred to Cafcass, or withdrawn.
ENDINGS = [(1, 64), (2, 23), (3, 6), (4, 2), ("cafcass", 1), ("withdrawn", 4)]
QUALITY_WEIGHTS = [
    (OutcomeQuality.RESOLVED_FOR_CHILD, 70),
    (OutcomeQuality.PARTLY_RESOLVED, 20),
    (OutcomeQuality.SUPERFICIAL_COMPLIANCE, 10),
]
# Responses are often late (seed report: mean 22.2 working days to resolution, 57% within 20).
RESPONSE_WORKING_DAYS = [2, 3, 5, 7, 9, 11, 13, 16, 20, 25]
DECISION_WORKING_DAYS = [1, 2, 3, 5, 8]
DEFAULT_RESPONDERS = {
    "sw_team_manager": 8,
    "head_of_service": 3,
    "assistant_director": 2,
    "director": 1,
}
