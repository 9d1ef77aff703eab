"""The legal status of the children looked after on 31 March (PLC-01, PLC-02): by group of
legal status, and those remanded or detained.
"""

from __future__ import annotations

from django.db.models import (
    QuerySet,
)

from iro import codes
from iro.codes import (
    LegalStatus,
)
from reporting.figures.base import Kind, Period, Result, figure, pct
from reporting.figures.cohorts import (
    CHILD_COLUMNS,
    children_in,
    open_episodes,
)
from reporting.figures.snapshot import ordered, snapshot

SECTION = "placements"

# Legal status groups as M24's table prints them (PLC-01).
LEGAL_GROUPS = {
    "Full care order": ["C2"],
    "Interim care order": ["C1"],
    "Placement order granted": ["E1", "D1"],
    "Section 20": ["V2"],
    "Detained (child protection or youth justice)": ["L1", "L2", "L3", "J1", "J2", "J3"],
}
DETAINED = LEGAL_GROUPS["Detained (child protection or youth justice)"]


def legal_status_on(period: Period) -> dict[str, int]:
    order = [c.value for c in LegalStatus if c.value not in ("V3", "V4")]
    return ordered(snapshot(period)["legal_status"], order)


@figure(
    "PLC-01",
    title="Legal status of children looked after on 31 March",
    kind=Kind.PCT,
    section=SECTION,
    unit="%",
    covers="on 31 March",
    better="neither",
    labels=codes.LegalStatus,
)
def legal_status(period: Period) -> Result:
    """Children looked after on 31 March by the legal status (903 LS) of the episode open that
    day: breakdown by code, every code but the short breaks (V3/V4, not looked after) with zeros
    kept; the table groups them as M24 does (full care order C2; interim C1; placement order E1
    or freeing order D1; section 20 V2; detained L1-L3 and J1-J3). Value: the percentage on a
    legal order, i.e. every status but section 20 (BCT's "on an order" against "s20")."""
    by_code = legal_status_on(period)
    total = sum(by_code.values())
    on_order = total - by_code.get("V2", 0)
    table = [
        [
            name,
            sum(by_code.get(c, 0) for c in codes),
            pct(sum(by_code.get(c, 0) for c in codes), total),
        ]
        for name, codes in LEGAL_GROUPS.items()
    ]
    return Result(
        value=pct(on_order, total),
        numerator=on_order,
        denominator=total,
        breakdown=by_code,
        columns=["Legal status", "Children", "%"],
        table=table,
    )


@legal_status.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    qs = open_episodes(period.end)
    if cell is None:
        qs = qs.exclude(legal_status="V2")
    elif cell != "denominator":
        qs = qs.filter(legal_status=cell)
    return children_in(qs)


@figure(
    "PLC-02",
    title="Children looked after on 31 March who were remanded or detained",
    kind=Kind.COUNT,
    section=SECTION,
    unit="children",
    covers="on 31 March",
    better="neither",
    labels=codes.LegalStatus,
)
def remanded_or_detained(period: Period) -> Result:
    """Children looked after on 31 March whose legal status that day is a detention: youth
    justice (J1 remand, J2 PACE, J3 youth rehabilitation order with residence) or child
    protection (L1 police protection, L2 emergency protection order, L3 child assessment order).
    The breakdown by code lets the remand count (J1, BCT's figure) be read on its own."""
    by_code = legal_status_on(period)
    breakdown = {c: by_code.get(c, 0) for c in DETAINED}
    return Result(value=sum(breakdown.values()), breakdown=breakdown)


@remanded_or_detained.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    return children_in(
        open_episodes(period.end).filter(legal_status__in=[cell] if cell else DETAINED)
    )
