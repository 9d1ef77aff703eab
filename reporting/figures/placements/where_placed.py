"""Where the children looked after on 31 March are placed (PLC-04 to PLC-07): placement type and
group, distance from home and location, and whether it is the placement preferred.
"""

from __future__ import annotations

from django.db.models import (
    Case,
    CharField,
    Q,
    QuerySet,
    Value,
    When,
)

from iro import codes
from iro.codes import (
    ADOPTION_PLACEMENT_TYPES,
    TEMPORARY_PLACEMENT_TYPES,
    PlacementType,
)
from reporting.figures.base import Kind, Period, Result, figure, pct
from reporting.figures.cohorts import (
    CHILD_COLUMNS,
    children_in,
    open_episodes,
)
from reporting.figures.placements.legal_status import SECTION
from reporting.figures.snapshot import ordered, snapshot


def placement_on(period: Period) -> dict[str, int]:
    return ordered(snapshot(period)["placement_type"], [c.value for c in PlacementType])


@figure(
    "PLC-04",
    title="Placement type of children looked after on 31 March",
    kind=Kind.COUNT,
    section=SECTION,
    unit="children",
    covers="on 31 March",
    better="neither",
    labels=codes.PlacementType,
)
def placement_type(period: Period) -> Result:
    """Children looked after on 31 March by the 903 placement type of the episode open that day
    (every code, zeros kept; the codes retired after 2024/25, H5, P2 and Z1, stay for history).
    Value: all of them. The table adds each code's share."""
    by_code = placement_on(period)
    total = sum(by_code.values())
    return Result(
        value=total,
        breakdown=by_code,
        columns=["Placement", "Children", "%"],
        table=[
            [codes.code_label(codes.PlacementType, c), n, pct(n, total)]
            for c, n in by_code.items()
            if n
        ],
    )


@placement_type.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    qs = open_episodes(period.end)
    if cell is not None:
        qs = qs.filter(placement_type=cell)
    return children_in(qs)


PLACEMENT_GROUPS = {
    "Foster care": ["U4", "U5", "U6"],
    "Family or connected carers": ["U1", "U2", "U3"],
    "With parents": ["P1"],
    "Placed for adoption": sorted(ADOPTION_PLACEMENT_TYPES),
    "Residential": ["K2", "R1", "R2", "R3", "S1", "P3"],
    "Supported accommodation": ["K3", "H5", "P2"],
    "Secure": ["K1", "R5"],
    "Other": sorted(TEMPORARY_PLACEMENT_TYPES) + ["Z1", "Z11", "Z12", "Z13", "Z14"],
}
FAMILY_BASED = ["Foster care", "Family or connected carers", "With parents", "Placed for adoption"]


def _placement_group() -> Case:
    return Case(
        *[When(placement_type__in=codes, then=Value(g)) for g, codes in PLACEMENT_GROUPS.items()],
        default=Value("Other"),
        output_field=CharField(),
    )


@figure(
    "PLC-05",
    title="Children looked after on 31 March in family-based placements",
    kind=Kind.PCT,
    section=SECTION,
    unit="%",
    covers="on 31 March",
    better="higher",
)
def placement_groups(period: Period) -> Result:
    """Children looked after on 31 March by placement group (BCT diagram 3): foster care
    (U4-U6), family or connected carers (U1-U3), with parents (P1), placed for adoption (A3-A6),
    residential (K2, R1-R3, S1, P3), supported accommodation (K3 and the retired H5/P2), secure
    (K1, R5), other (temporary and Z codes). Value: the percentage family-based (the first four
    groups)."""
    by_code = placement_on(period)
    by_group = {g: sum(by_code.get(c, 0) for c in codes) for g, codes in PLACEMENT_GROUPS.items()}
    by_group["Other"] += sum(
        n for c, n in by_code.items() if not any(c in codes for codes in PLACEMENT_GROUPS.values())
    )
    total = sum(by_group.values())
    family = sum(by_group[g] for g in FAMILY_BASED)
    return Result(
        value=pct(family, total),
        numerator=family,
        denominator=total,
        breakdown=by_group,
        columns=["Placement group", "Children", "%"],
        table=[[g, n, pct(n, total)] for g, n in by_group.items()],
    )


@placement_groups.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    qs = open_episodes(period.end).annotate(g=_placement_group())
    if cell is None:
        qs = qs.filter(g__in=FAMILY_BASED)
    elif cell != "denominator":
        qs = qs.filter(g=cell)
    return children_in(qs)


# --- PLC-06: distance and location ------------------------------------------------------------

DISTANCE_CELLS = {
    "20 miles or less": Q(distance_miles__lte=20),
    "over 20 miles": Q(distance_miles__gt=20),
    "distance not known": Q(distance_miles__isnull=True),
    "in area": Q(placement_location="IN"),
    "out of area": Q(placement_location="OUT"),
    "out of area and over 20 miles": Q(placement_location="OUT", distance_miles__gt=20),
}


@figure(
    "PLC-06",
    title="Children looked after on 31 March placed more than 20 miles from home",
    kind=Kind.PCT,
    section=SECTION,
    unit="%",
    covers="on 31 March",
    better="lower",
)
def distance_from_home(period: Period) -> Result:
    """Children looked after on 31 March by distance from home and location. Distance is
    CareEpisode.distance_miles (the 903's PL_DISTANCE: the straight line between the home and
    placement postcodes' grid references, in miles to 1 dp, filled from postcode data when it is
    loaded, or as entered); location is PL_LOCATION (inside or outside the authority).
    Value: the percentage over 20 miles among children whose distance is known (DfE groups: 20
    miles or less / over 20 miles / not known; UASC and short breaks have no distance). The
    breakdown counts each DfE group and in area / out of area / out of area and over 20 miles
    (M24's table); the table gives M24's two shares of the over-20-mile children."""
    snap = snapshot(period)
    row = {
        "20 miles or less": snap["distance"]["20 miles or less"],
        "over 20 miles": snap["distance"]["over 20 miles"],
        "distance not known": snap["distance"]["distance not known"],
        "in area": snap["location"]["IN"],
        "out of area": snap["location"]["OUT"],
        "out of area and over 20 miles": snap["out_far"][""],
    }
    known = row["20 miles or less"] + row["over 20 miles"]
    total = known + row["distance not known"]
    out = row["out of area"]
    far_out = row["out of area and over 20 miles"]
    return Result(
        value=pct(row["over 20 miles"], known),
        numerator=row["over 20 miles"],
        denominator=known,
        breakdown=row,
        columns=["Measure", "Children", "%"],
        table=[
            ["In area", row["in area"], pct(row["in area"], total)],
            ["Out of area", out, pct(out, total)],
            ["Out of area and over 20 miles, of those out of area", far_out, pct(far_out, out)],
            [
                "Over 20 miles, of all children looked after",
                row["over 20 miles"],
                pct(row["over 20 miles"], total),
            ],
        ],
    )


@distance_from_home.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    qs = open_episodes(period.end)
    if cell is None:
        qs = qs.filter(DISTANCE_CELLS["over 20 miles"])
    elif cell == "denominator":
        qs = qs.filter(distance_miles__isnull=False)
    else:
        qs = qs.filter(DISTANCE_CELLS[cell])
    return children_in(qs)


# --- PLC-07: preferred placement --------------------------------------------------------------


@figure(
    "PLC-07",
    title="Children looked after on 31 March living in their preferred placement",
    kind=Kind.PCT,
    section=SECTION,
    unit="%",
    covers="on 31 March",
    better="higher",
)
def preferred_placement(period: Period) -> Result:
    """Percentage of children looked after on 31 March whose placement that day is recorded as
    their preferred placement (CareEpisode.preferred_placement, a local field, not in the 903).
    Denominator: every child looked after; a placement with nothing recorded counts as not the
    preferred one (as M24's table has only "at" and "not at"). Breakdown: at / not at."""
    snap = snapshot(period)
    row = {"n": snap["preferred"][""], "d": snap["all"][""]}
    return Result(
        value=pct(row["n"], row["d"]),
        numerator=row["n"],
        denominator=row["d"],
        breakdown={
            "at preferred placement": row["n"],
            "not at preferred placement": row["d"] - row["n"],
        },
    )


@preferred_placement.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    qs = open_episodes(period.end)
    if cell in (None, "at preferred placement"):
        qs = qs.filter(preferred_placement=True)
    elif cell == "not at preferred placement":
        qs = qs.exclude(preferred_placement=True)
    return children_in(qs)
