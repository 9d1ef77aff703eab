"""What an extract leaves out, and which figures it therefore cannot carry.

Figures are named by their catalogue ids (docs/figures.md), by family where a whole family needs
the same input. A figure listed here is not guessed: it is computed from what the service already
holds (its own staff records for FTE, for instance), and the run says so.
"""

from __future__ import annotations

# (table, column or None for the whole table) -> (figures, why)
NEEDS: list[tuple[str, str | None, str, str]] = [
    ("ssd_person", None, "every figure", "children are the base of every figure"),
    (
        "ssd_cla_episodes",
        None,
        "CLA-*, LVC-*, PLC-*, SC-*, REV-*, IRO-01, IRO-02",
        "periods of care and placements",
    ),
    (
        "ssd_legal_status",
        None,
        "CLA-*, LVC-*, PLC-*, SC-*, REV-*",
        "an episode without a legal status cannot be read",
    ),
    (
        "ssd_cla_placement",
        None,
        "CLA-*, PLC-*, SC-*",
        "an episode without a placement cannot be read",
    ),
    ("ssd_cla_reviews", None, "REV-01 to REV-06", "reviews held, missed and cancelled"),
    ("ssd_involvements", None, "IRO-01, IRO-02, ALC-*", "allocations of IROs and CP chairs"),
    ("ssd_professionals", None, "IRO-01, IRO-02", "the allocated IROs"),
    (
        "ssd_professionals",
        "prof_full_time_equivalency",
        "IRO-01, IRO-02",
        "FTE: the service's own staff records stay the source",
    ),
    (
        "ssd_cla_placement",
        "clap_cla_placement_postcode",
        "PLC-06",
        "in or out of the authority comes from the placement postcode",
    ),
    ("ssd_cla_placement", "clap_cla_placement_distance", "PLC-05", "distance from home"),
    (
        "ssd_cla_reviews",
        "clar_cla_review_participation",
        "REV-05, REV-06",
        "how the child took part",
    ),
    ("ssd_linked_identifiers", None, "(no figure)", "UPNs stay as the service holds them"),
    ("ssd_immigration_status", None, "CLA-* breakdowns by UASC", "UASC status stays as held"),
    ("ssd_disability", None, "CLA-* breakdowns by disability", "disability stays as held"),
]

# Held by the service alone, whatever the extract holds (recorded in the service).
SERVICE_ONLY = (
    "REV-07 to REV-17, REC-01 (review records, venue, permanence, views: recorded in the service); "
    "QA-*, DR-* (concerns and IRPs: the service's own); CP-* (the SSD's child protection tables "
    "are not read yet); CLA-03 (locality: the service's own areas)"
)


def coverage_of(extract) -> dict:
    """Missing tables and columns, empty columns, and the figures they leave without inputs."""
    missing_tables = extract.missing_tables()
    missing_columns = extract.missing_columns()
    empty: dict[str, list[str]] = {}
    for table, rows in extract.tables.items():
        if not rows:
            continue
        for column in extract.columns.get(table, []):
            if column.startswith("_"):
                continue
            if all(not r.values.get(column) for r in rows) and column in rows[0].values:
                empty.setdefault(table, []).append(column)
    gaps = []
    for table, column, figures, why in NEEDS:
        if column is None and table in missing_tables:
            gaps.append({"input": table, "state": "table missing", "figures": figures, "why": why})
        elif column is not None and column in missing_columns.get(table, []):
            gaps.append(
                {
                    "input": f"{table}.{column}",
                    "state": "column missing",
                    "figures": figures,
                    "why": why,
                }
            )
        elif column is not None and column in empty.get(table, []):
            gaps.append(
                {"input": f"{table}.{column}", "state": "empty", "figures": figures, "why": why}
            )
    return {
        "missing_tables": missing_tables,
        "missing_columns": missing_columns,
        "empty_columns": empty,
        "not_read": sorted(set(extract.seen_unmapped)),
        "unknown_files": extract.unread_files,
        "figures_not_from_extract": gaps,
        "service_only": SERVICE_ONLY,
    }
