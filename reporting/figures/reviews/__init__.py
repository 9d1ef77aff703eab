"""Area 4 of the figure catalogue (docs/figures.md): looked-after (CLA) reviews (REV-01 to REV-17).

One module per subject; importing this package registers every figure, in the order of the ids:
- ``timeliness``: how many reviews, when, and on time (REV-01 to REV-04);
- ``participation``: the child at the review and the IRO before it (REV-05 to REV-09);
- ``permanence``: permanence plans and the child's voice (REV-12 to REV-15);
- ``safeguarding_and_papers``: safeguarding issues and papers ready (REV-16, REV-17);
- ``common``: the reviews held, the conditions and the counts several of them share.

Conventions of these modules:
- A review "held in the year" is one recorded as held with its date inside the period.
- "Aged 4 and over" is read from the participation code: PN0 is recorded if and only if the child
  was under 4 on the review date (903 rules 440/441, enforced when the outcome is recorded).
- Timeliness: a review is on time when held on or before its due date. A review that fell due
  while the child was looked after and was never held (status MISSED) is out of timescale, and
  belongs to the month of its due date.

Not computed here, because the service holds no such data:
- REV-10 (initial health assessment before the first review): no health assessment dates.
- REV-11 (PEP in place before the first review): no personal education plan dates.
"""

# Imported to register their figures, in this order: a section lists its figures in the order
# they were registered.
# isort: off
from reporting.figures.reviews import timeliness  # noqa: F401
from reporting.figures.reviews import participation  # noqa: F401
from reporting.figures.reviews import permanence  # noqa: F401
from reporting.figures.reviews import safeguarding_and_papers  # noqa: F401
# isort: on
