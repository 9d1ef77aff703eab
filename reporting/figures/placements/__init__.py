"""Area 2 of the figure catalogue (docs/figures.md): legal status, placements and stability (PLC-01 to PLC-09).

One module per subject; importing this package registers every figure, in the order of the ids:
- ``legal_status``: legal status on 31 March, and children remanded or detained (PLC-01, PLC-02);
- ``where_placed``: placement type and group, distance, preferred placement (PLC-04 to PLC-07);
- ``stability``: short- and long-term placement stability (PLC-08, PLC-09).

Not computed here:
- PLC-03 (deprivation of liberty orders): the service holds no order records with dates (DoLS
  or DoLO); it needs an ORDER record before it can be counted.
- PLC-10 (findings from a sample of disruption meetings) is an AUDIT figure.
"""

# Imported to register their figures, in this order: a section lists its figures in the order
# they were registered.
# isort: off
from reporting.figures.placements import legal_status  # noqa: F401
from reporting.figures.placements import where_placed  # noqa: F401
from reporting.figures.placements import stability  # noqa: F401
# isort: on
