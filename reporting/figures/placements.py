"""Area 2 of the figure catalogue (docs/figures.md): legal status, placements and stability (PLC-01 to PLC-09).

Not computed here:
- PLC-03 (deprivation of liberty orders): the service holds no order records with dates (DoLS
  or DoLO); it needs an ORDER record before it can be counted.
- PLC-10 (findings from a sample of disruption meetings) is an AUDIT figure.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from iro import codes
from iro.codes import (
    ADOPTION_PLACEMENT_TYPES,
    PLACEMENT_CHANGE_RNE,
    TEMPORARY_PLACEMENT_TYPES,
    LegalStatus,
    PlacementType,
)
from iro.models import CareEpisode
from iro.rules import add_months
from reporting.figures.base import Kind, Period, Result, figure, pct
from reporting.figures.cohorts import (
    CHILD_COLUMNS,
    children_in,
    first_on_file_subquery,
    open_episodes,
    period_start_subquery,
    with_age,
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


# --- Placements on 31 March -------------------------------------------------------------------


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


# --- PLC-08: short-term stability -------------------------------------------------------------


def _placements_in_year(day: date) -> QuerySet[CareEpisode]:
    """Children looked after on `day`, each with `placements`: how many placements they had in
    the 12 months to `day`."""
    window_start = add_months(day, -12) + timedelta(days=1)
    new_placements = (
        CareEpisode.objects.filter(
            child=OuterRef("child"),
            start__gte=window_start,
            start__lte=day,
            reason_new_episode__in=["S", *sorted(PLACEMENT_CHANGE_RNE)],
        )
        .exclude(placement_type__in=TEMPORARY_PLACEMENT_TYPES)
        .exclude(legal_status__in=["V3", "V4"])
        .order_by()
        .values("child")
        .annotate(n=Count("pk"))
        .values("n")
    )
    placed_at_start = CareEpisode.objects.filter(
        Q(end__isnull=True) | Q(end__gte=window_start),
        child=OuterRef("child"),
        start__lt=window_start,
    ).exclude(legal_status__in=["V3", "V4"])
    return open_episodes(day).annotate(
        placements=Coalesce(Subquery(new_placements, output_field=IntegerField()), Value(0))
        + Case(When(Exists(placed_at_start), then=Value(1)), default=Value(0))
    )


@figure(
    "PLC-08",
    title="Children looked after on 31 March with 3 or more placements in the year",
    kind=Kind.PCT,
    section=SECTION,
    unit="%",
    covers="on 31 March",
    better="lower",
)
def three_placements(period: Period) -> Result:
    """Short-term placement stability: percentage of children looked after on 31 March who had
    3 or more placements in the 12 months to that day.

    Counting (DfE's rule is not confirmed, docs/rules.md sections 5 and 7; this follows the 903's view that
    RNE P, B, T and U are placement changes): the placement held when the 12 months began (if
    the child was looked after then) counts 1, and every episode starting in the 12 months with
    RNE S, P, B, T or U counts 1 more. Temporary placements (T0-T4) and short breaks do not
    count; a change of legal status alone (RNE L) is not a placement."""
    snap = snapshot(period)
    row = {"n": snap["three_placements"][""], "d": snap["all"][""]}
    return Result(value=pct(row["n"], row["d"]), numerator=row["n"], denominator=row["d"])


@three_placements.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    qs = _placements_in_year(period.end)
    if cell != "denominator":
        qs = qs.filter(placements__gte=3)
    return children_in(qs)


# --- PLC-09: long-term stability --------------------------------------------------------------


def _long_term(day: date) -> QuerySet[CareEpisode]:
    """Children under 16 looked after on `day` for 2.5 years or more, with `carer_since` (and
    `first_on_file`, the lower bound of both where the period began before the data)."""
    carer_since = Subquery(
        CareEpisode.objects.filter(
            child=OuterRef("child"),
            reason_new_episode__in=["S", "P", "B"],
            start__lte=day,
        )
        .order_by("-start")
        .values("start")[:1]
    )
    m30 = add_months(day, -30)
    return (
        with_age(open_episodes(day), day)
        .filter(age__lt=16)
        .annotate(
            period_start=period_start_subquery(),
            carer_since=carer_since,
            first_on_file=first_on_file_subquery(),
        )
        .filter(Q(period_start__lte=m30) | Q(period_start__isnull=True, first_on_file__lte=m30))
    )


def _stable(day: date) -> Q:
    m24 = add_months(day, -24)
    return Q(carer_since__lte=m24) | Q(carer_since__isnull=True, first_on_file__lte=m24)


@figure(
    "PLC-09",
    title="Long-term placement stability",
    kind=Kind.PCT,
    section=SECTION,
    unit="%",
    covers="on 31 March",
    better="higher",
)
def long_term_stability(period: Period) -> Result:
    """PLC-09: percentage of children under 16 on 31 March, looked after continuously for 2.5
    years or more, who had been with the same carer for 2 years or more (EES / NI 63).

    "Same carer": the latest episode that changed the carer (RNE S, P or B) started at least 2
    years before 31 March; RNE T and U (placement changed, same carer) and L (legal status only)
    do not break it, so a foster-to-adopt move with the same carers (A3/A5) keeps the time. The
    NI 63 clause that adds a previous placement to an adoptive placement with new carers (A4/A6)
    is not applied: those children count as not stable until 2 years with the adopters.

    Periods that began before the earliest data (no RNE = S episode on file; the reading is in
    reporting.figures.cohorts.first_on_file_subquery): the first episode on file is a lower
    bound of the start. A child on file for 2.5 years or more has been looked after that long
    and is counted (with the same lower bound for the carer when no carer change is on file);
    a child on file for less cannot be shown to qualify and is not in the percentage, but is
    counted in the table as "start unknown", never dropped silently."""
    snap = snapshot(period)
    long_term = snap["long_term"]
    row = {"n": long_term["stable"], "d": long_term["eligible"]}
    return Result(
        value=pct(row["n"], row["d"]),
        numerator=row["n"],
        denominator=row["d"],
        columns=["Children under 16 looked after on 31 March", "Children"],
        table=[
            ["looked after 2.5 years or more (the percentage's denominator)", row["d"]],
            ["of whom the period of care began before the earliest data", long_term["before_data"]],
            [
                "start unknown: period began before the data, under 2.5 years on file (not "
                "in the percentage)",
                long_term["start_unknown"],
            ],
        ],
        note=(
            f"{long_term['before_data'] + long_term['start_unknown']} periods of care began "
            "before the earliest data held."
            if long_term["before_data"] + long_term["start_unknown"]
            else ""
        ),
    )


@long_term_stability.rows(columns=CHILD_COLUMNS, child_path="")
def _(period: Period, cell: str | None) -> QuerySet:
    qs = _long_term(period.end)
    if cell != "denominator":
        qs = qs.filter(_stable(period.end))
    return children_in(qs)
