"""The figure registry: which figures are registered, under which section, in which order.

The figure modules are packages of modules by subject; importing ``reporting.figures`` must
register every figure in the order the catalogue (docs/figures.md) and the dashboards list them.
This list was taken before the largest figure modules were split, so a split that drops a module
from its package's imports, or imports them in another order, fails here.
"""

from reporting.figures import REGISTRY, SECTIONS, figures_in

EXPECTED = {
    "children_in_care": [
        "CLA-01",
        "CLA-02",
        "CLA-03",
        "CLA-04",
        "CLA-05",
        "CLA-06",
        "CLA-07",
        "CLA-08",
        "CLA-09",
        "CLA-10",
        "CLA-11",
        "CLA-12",
        "CLA-13",
        "CLA-14",
        "CLA-15",
    ],
    "placements": [
        "PLC-01",
        "PLC-02",
        "PLC-04",
        "PLC-05",
        "PLC-06",
        "PLC-07",
        "PLC-08",
        "PLC-09",
    ],
    "leaving_care": [
        "LVC-01",
        "LVC-02",
        "LVC-03",
        "LVC-04",
        "LVC-05",
        "LVC-06",
        "LVC-07",
    ],
    "reviews": [
        "REV-01",
        "REV-02",
        "REV-03",
        "REV-04",
        "REV-05",
        "REV-06",
        "REV-07",
        "REV-08",
        "REV-09",
        "REV-12",
        "REV-13",
        "REV-14",
        "REV-15",
        "REV-16",
        "REV-17",
    ],
    "review_records": [
        "REC-01",
    ],
    "caseloads": [
        "IRO-01",
        "IRO-02",
        "IRO-03",
        "IRO-04",
        "IRO-05",
    ],
    "allocation": [
        "ALC-01",
        "ALC-02",
        "ALC-03",
        "ALC-04",
        "ALC-05",
    ],
    "child_protection": [
        "CP-01",
        "CP-02",
        "CP-03",
        "CP-04",
        "CP-05",
        "CP-06",
        "CP-07",
        "CP-08",
        "CP-09",
        "CP-10",
        "CP-11",
        "CP-12",
        "CP-13",
        "CP-14",
        "CP-15",
        "CP-16",
        "CP-18",
        "CP-20",
        "CP-21",
        "CP-22",
    ],
    "quality": [
        "QA-01",
        "QA-02",
        "QA-03",
    ],
    "disputes": [
        "DR-01",
        "DR-02",
        "DR-03",
        "DR-04",
        "DR-05",
        "DR-06",
        "DR-07",
        "DR-08",
        "DR-09",
        "DR-10",
    ],
    "feedback": [
        "FB-01",
        "FB-02",
        "FB-05",
    ],
    "scorecard": [
        "SC-01",
        "SC-02",
        "SC-03",
        "SC-05",
        "SC-06",
        "SC-07",
        "SC-14",
    ],
}


def test_every_section_lists_the_same_figures_in_the_same_order():
    assert list(SECTIONS) == list(EXPECTED)
    for section, ids in EXPECTED.items():
        assert [f.id for f in figures_in(section)] == ids, section


def test_nothing_else_is_registered():
    expected = [figure_id for ids in EXPECTED.values() for figure_id in ids]
    assert sorted(REGISTRY) == sorted(expected)
    assert len(REGISTRY) == 99
