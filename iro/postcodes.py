"""Postcode grid references and the placement distance they give (SSDA903 PL_DISTANCE).

`postcodes_import` loads the file an authority downloads: the ONS Postcode Directory (a CSV with
a header row: pcd or pcds, oseast1m, osnrth1m, laua or a lad..cd column) or OS Code-Point Open
(CSV files without a header: postcode, quality, easting, northing, country, ..., district code in
column 9). A plain "postcode,easting,northing" header is accepted too. Rows without a grid
reference (terminated or non-geographic postcodes) are skipped.

`episode_distance` is the hook the care-episode services call before saving: when both
postcodes are recorded it derives the distance from the grid references, and leaves it blank when
either postcode is unknown.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from iro.models import CareEpisode, Postcode
from iro.rules import grid_distance_miles, normalise_postcode

BATCH = 5000


@dataclass(frozen=True)
class Layout:
    name: str
    postcode: int
    easting: int
    northing: int
    la_code: int | None
    has_header: bool


def _index(header: list[str], *names: str) -> int | None:
    lowered = [h.strip().lower() for h in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    return None


def detect_layout(first_row: list[str]) -> Layout:
    """Which file this is, from its first row. Raises ValueError when it is neither layout."""
    lowered = [h.strip().lower() for h in first_row]
    postcode = _index(first_row, "pcds", "pcd", "pcd7", "pcd8", "postcode")
    if postcode is not None:
        easting = _index(first_row, "oseast1m", "easting", "eastings")
        northing = _index(first_row, "osnrth1m", "northing", "northings")
        if easting is None or northing is None:
            raise ValueError(
                "The header names a postcode column but no easting and northing columns "
                "(oseast1m and osnrth1m in the ONS Postcode Directory)."
            )
        la = _index(first_row, "laua", "oslaua", "la_code")
        if la is None:
            la = next(
                (i for i, h in enumerate(lowered) if h.startswith("lad") and h.endswith("cd")),
                None,
            )
        name = "ONS Postcode Directory" if "oseast1m" in lowered else "postcode, easting, northing"
        return Layout(name, postcode, easting, northing, la, has_header=True)
    if len(first_row) >= 4 and first_row[2].strip().isdigit() and first_row[3].strip().isdigit():
        return Layout(
            "OS Code-Point Open", 0, 2, 3, 8 if len(first_row) > 8 else None, has_header=False
        )
    raise ValueError(
        "This is not an ONS Postcode Directory or OS Code-Point Open file: the first row has "
        "neither a pcd/oseast1m/osnrth1m header nor postcode, quality, easting, northing values."
    )


def _rows(lines: Iterable[str]) -> tuple[Layout, Iterable[list[str]]]:
    reader = csv.reader(lines)
    first = next(reader, None)
    if first is None:
        raise ValueError("The file is empty.")
    layout = detect_layout(first)

    def all_rows():
        if not layout.has_header:
            yield first
        yield from reader

    return layout, all_rows()


# The British National Grid's extent in metres (Ordnance Survey): no postcode lies outside it.
GRID_MAX_EASTING = 700_000
GRID_MAX_NORTHING = 1_300_000


def postcodes_import(*, lines: Iterable[str], progress=None) -> dict:
    """Load or refresh postcode grid references from a CSV; returns counts and the layout found."""
    layout, rows = _rows(lines)
    loaded = skipped = 0
    batch: list[Postcode] = []
    bad: list[str] = []

    def flush():
        Postcode.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=["postcode"],
            update_fields=["easting", "northing", "la_code"],
        )
        batch.clear()

    with transaction.atomic():
        for row in rows:
            try:
                easting = row[layout.easting].strip()
                northing = row[layout.northing].strip()
                code = normalise_postcode(row[layout.postcode])
            except IndexError:
                skipped += 1
                continue
            if not (easting.isdigit() and northing.isdigit()) or not code:
                skipped += 1
                continue
            if int(easting) > GRID_MAX_EASTING or int(northing) > GRID_MAX_NORTHING:
                bad.append(
                    f"line {loaded + skipped + len(bad) + 1 + layout.has_header} ({code}): "
                    f"easting {easting}, "
                    f"northing {northing} is outside the British National Grid "
                    f"(0-{GRID_MAX_EASTING:,} east, 0-{GRID_MAX_NORTHING:,} north)"
                )
                continue
            la = row[layout.la_code].strip() if layout.la_code is not None else ""
            batch.append(
                Postcode(postcode=code, easting=int(easting), northing=int(northing), la_code=la)
            )
            loaded += 1
            if len(batch) >= BATCH:
                flush()
                if progress:
                    progress(loaded)
        if batch:
            flush()
        if bad:
            # Raised inside the transaction: nothing of the file is kept.
            raise ValueError(
                f"{len(bad)} row(s) with impossible grid references, nothing loaded:\n"
                + "\n".join(bad[:20])
                + (f"\n... and {len(bad) - 20} more" if len(bad) > 20 else "")
            )
    return {"layout": layout.name, "loaded": loaded, "skipped": skipped}


def grid_references(postcodes: Iterable[str]) -> dict[str, tuple[int, int]]:
    codes = {normalise_postcode(p) for p in postcodes if p}
    return {
        p.postcode: (p.easting, p.northing) for p in Postcode.objects.filter(postcode__in=codes)
    }


def distance_for(
    home: str, placement: str, grid: dict[str, tuple[int, int]] | None = None
) -> Decimal | None:
    """PL_DISTANCE between two postcodes, or None when either is blank or unknown."""
    if not home or not placement:
        return None
    grid = grid if grid is not None else grid_references([home, placement])
    a, b = grid.get(normalise_postcode(home)), grid.get(normalise_postcode(placement))
    if a is None or b is None:
        return None
    return grid_distance_miles(a, b)


def episode_distance(episode: CareEpisode) -> None:
    """Set the episode's distance from its postcodes when any postcode is recorded.

    With neither postcode recorded the distance stays as entered (services that hold no
    postcodes for a child); with either recorded it is derived, and blank when unknown.
    """
    if episode.home_postcode or episode.placement_postcode:
        episode.distance_miles = distance_for(episode.home_postcode, episode.placement_postcode)


def episodes_backfill_distance() -> int:
    """Recompute the distance of every episode that records a postcode; returns how many changed."""
    episodes = CareEpisode.objects.exclude(home_postcode="", placement_postcode="")
    grid = grid_references(
        [p for pair in episodes.values_list("home_postcode", "placement_postcode") for p in pair]
    )
    changed = []
    for episode in episodes.only("pk", "home_postcode", "placement_postcode", "distance_miles"):
        distance = distance_for(episode.home_postcode, episode.placement_postcode, grid)
        if distance != episode.distance_miles:
            episode.distance_miles = distance
            changed.append(episode)
    CareEpisode.objects.bulk_update(changed, ["distance_miles"], batch_size=BATCH)
    return len(changed)


def unknown_postcodes(episodes) -> list[dict]:
    """Postcodes recorded on the given episodes that have no grid reference, with how often."""
    counts: dict[str, int] = {}
    for home, placement in episodes.values_list("home_postcode", "placement_postcode"):
        for code in (home, placement):
            if code:
                key = normalise_postcode(code)
                counts[key] = counts.get(key, 0) + 1
    known = set(Postcode.objects.filter(postcode__in=counts).values_list("postcode", flat=True))
    return [{"postcode": p, "episodes": n} for p, n in sorted(counts.items()) if p not in known]


def placement_location(postcode: str) -> str:
    """PL_LOCATION of a placement from its postcode, as the DfE derives it for the SSDA903: "IN"
    when the postcode's local authority (iro.Postcode.la_code) is this authority
    (settings.LOCAL_AUTHORITY_CODE), "OUT" when it is another one, and "" (not known) when the
    postcode is blank, not in the directory, or has no authority recorded."""
    from django.conf import settings

    code = normalise_postcode(postcode) if postcode else ""
    if not code:
        return ""
    la = Postcode.objects.filter(postcode=code).values_list("la_code", flat=True).first()
    if not la:
        return ""
    return "IN" if la == settings.LOCAL_AUTHORITY_CODE else "OUT"
