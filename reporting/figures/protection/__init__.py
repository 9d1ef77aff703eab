"""Area 8 of the figure catalogue (docs/figures.md): child protection (CP-01 to CP-22).

One module per subject; importing this package registers every figure, in the order of the ids:
- ``conferences``: initial and review conferences, their outcomes and timeliness (CP-01 to CP-06);
- ``plans``: children on plans on 31 March and plans started and ended (CP-07 to CP-12);
- ``durations``: how long plans last and repeat plans (CP-13 to CP-16);
- ``participation``: parents, disabled children, core groups, the child's voice (CP-18 to CP-22);
- ``common``: the columns, conference counts and plan counts several of them share.

Conventions of these modules:
- Conferences are counted per child: a sibling group conferenced together is one meeting with a
  conference record per child, and the seeds count children (the meeting count is in the table).
- A child is on a plan on a day when the plan started on or before it and had not ended by it
  (protection.rules.is_on_plan); "on 31 March" is the period's last day.
- Age bands are the age on the period's last day (``unborn`` when no date of birth yet).

Not computed here:
- CP-17 (challenge-clinic cohorts): an audit of cohorts by hand (kind AUDIT).
- CP-19 (family members excluded from conferences): the service records no exclusions.
"""

# Imported to register their figures, in this order: a section lists its figures in the order
# they were registered.
# isort: off
from reporting.figures.protection import conferences  # noqa: F401
from reporting.figures.protection import plans  # noqa: F401
from reporting.figures.protection import durations  # noqa: F401
from reporting.figures.protection import participation  # noqa: F401
# isort: on
