"""Area 1 of the figure catalogue (docs/figures.md): children in care, population and demographics (CLA-01 to CLA-15).

Base sets and the definitions of "looked after", "starter", "leaver" and age bands are in
``reporting.figures.cohorts``. Snapshot figures ("on 31 March") use the end of the period.

One module per subject; importing this package registers every figure, in the order of the ids:
- ``population``: how many are looked after, on 31 March, by month, by locality (CLA-01 to CLA-05);
- ``characteristics``: sex, ethnicity and age bands on 31 March (CLA-06 to CLA-09);
- ``starters``: children who started to be looked after (CLA-10 to CLA-12);
- ``circumstances``: need, unaccompanied asylum-seeking children, time in care (CLA-13 to CLA-15).
"""

# Imported to register their figures, in this order: a section lists its figures in the order
# they were registered.
# isort: off
from reporting.figures.children_in_care import population  # noqa: F401
from reporting.figures.children_in_care import characteristics  # noqa: F401
from reporting.figures.children_in_care import starters  # noqa: F401
from reporting.figures.children_in_care import circumstances  # noqa: F401
# isort: on
