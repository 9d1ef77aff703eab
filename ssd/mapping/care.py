"""Care: ssd_cla_episodes + ssd_legal_status + ssd_cla_placement -> iro.CareEpisode.

An SSD episode carries neither legal status nor placement type:
- its legal status is the ssd_legal_status row of the same person open on the episode's start
  (start <= D < end, end dates exclusive as in the SSDA903; a row starting that day wins);
- its placement is the ssd_cla_placement row named by clae_cla_placement_id. One placement row
  may span several episodes; its change reason belongs to the episode that ends with it.
Legal statuses outside the SSDA903 list (special guardianship, child arrangements, private
fostering, care leaver) are listed as unmapped codes and never make a child looked after.
Placement types are checked against the SSDA903 list in iro.codes (which has K3).

The case system owns every field here; the service keeps `preferred_placement` (a local field)
and works out the placement location (in or out of the authority) from the postcode, as the
DfE derives PL_LOCATION.
"""

from __future__ import annotations

from decimal import Decimal

from iro.codes import (
    CategoryOfNeed,
    LegalStatus,
    PlacementProvider,
    PlacementType,
    ReasonCeased,
    ReasonNewEpisode,
    ReasonPlaceChange,
)
from ssd.mapping import Field

EPISODE = [
    Field("clae_cla_episode_start_date", "start", "date"),
    Field("clae_cla_episode_start_reason", "reason_new_episode", "code", ReasonNewEpisode),
    Field("clae_cla_primary_need_code", "category_of_need", "code", CategoryOfNeed),
    Field("clae_cla_episode_ceased_date", "end", "date"),
    Field("clae_cla_episode_ceased_reason", "reason_ceased", "code", ReasonCeased),
]
LEGAL_STATUS = [Field("lega_legal_status", "legal_status", "code", LegalStatus)]
PLACEMENT = [
    Field("clap_cla_placement_type", "placement_type", "code", PlacementType),
    Field("clap_cla_placement_provider", "placement_provider", "code", PlacementProvider),
    Field("clap_cla_placement_urn", "placement_urn", max_length=10),
    Field("clap_cla_placement_postcode", "placement_postcode", max_length=8),
    Field("clap_cla_placement_distance", "distance_miles", "decimal"),
    Field("clap_cla_placement_change_reason", "reason_place_change", "code", ReasonPlaceChange),
]


def legal_status_on(rows: list, day) -> object | None:
    """The legal status row open on `day` (start <= day < end), preferring one that starts that
    day, then the latest start."""
    best = None
    for row in rows:
        start = row.values.get("lega_legal_status_start_date")
        end = row.values.get("lega_legal_status_end_date")
        if start is None or start > day:
            continue
        if end is not None and end <= day and start != day:
            continue
        if best is None or start > best.values["lega_legal_status_start_date"]:
            best = row
    return best


def periods(episodes: list) -> list[list]:
    """A child's episodes (sorted by start) split into periods of care: a period starts with
    RNE S, or after an episode that ended other than by X1."""
    out: list[list] = []
    for e in episodes:
        if not out or e.reason_new_episode == "S" or (out[-1][-1].reason_ceased not in ("X1", "")):
            out.append([e])
        else:
            out[-1].append(e)
    return out


def export_child_care(child, episodes: list) -> tuple[list[dict], list[dict], list[dict], dict]:
    """The episode, legal status and placement rows of one child (one legal status and one
    placement row per episode, keyed by the episode's id), and {episode id: period id}."""
    from ssd.mapping import format_fields

    eps, legal, places, period_of = [], [], [], {}
    for period in periods(episodes):
        period_id = f"P{period[0].pk}"
        for e in period:
            period_of[e.pk] = period_id
            row = format_fields(EPISODE, e)
            row.update(
                clae_cla_episode_id=str(e.pk),
                clae_person_id=child.la_child_id,
                clae_cla_placement_id=str(e.pk),
                clae_cla_id=period_id,
                clae_entered_care_date=EPISODE[0].format(period[0].start),
            )
            eps.append(row)
            legal.append(
                {
                    "lega_legal_status_id": str(e.pk),
                    "lega_person_id": child.la_child_id,
                    "lega_legal_status": e.legal_status,
                    "lega_legal_status_start_date": EPISODE[0].format(e.start),
                    "lega_legal_status_end_date": EPISODE[0].format(e.end),
                }
            )
            place = format_fields(PLACEMENT, e)
            place.update(
                clap_cla_placement_id=str(e.pk),
                clap_cla_id=period_id,
                clap_person_id=child.la_child_id,
                clap_cla_placement_start_date=EPISODE[0].format(e.start),
                clap_cla_placement_end_date=EPISODE[0].format(e.end),
            )
            places.append(place)
    return eps, legal, places, period_of


def apply(ctx) -> None:
    """Each child's episodes, joined to their legal status and placement, checked as a whole
    history with the service's episode rules (iro.episode_rules) before any is saved."""
    from collections import defaultdict

    from django.db import IntegrityError, transaction

    from iro import episode_rules as rules
    from iro.models import CareEpisode, Child
    from iro.rules import normalise_postcode
    from ssd.mapping import row_hash

    table = "ssd_cla_episodes"
    legal_by_person: dict[str, list] = defaultdict(list)
    for row in ctx.extract.tables.get("ssd_legal_status", []):
        ctx.seen["ssd_legal_status"].add(row.key)
        code = row.values["lega_legal_status"].strip().upper()
        if code not in LegalStatus.values:
            ctx.unmapped_code(
                "ssd_legal_status", row, "lega_legal_status", row.values["lega_legal_status"]
            )
            ctx.counts["ssd_legal_status"]["not care"] += 1
            continue
        legal_by_person[row.values["lega_person_id"]].append(row)
    placements = {}
    for row in ctx.extract.tables.get("ssd_cla_placement", []):
        ctx.seen["ssd_cla_placement"].add(row.key)
        values = ctx.parse("ssd_cla_placement", row, PLACEMENT)
        if values is not None:
            values["placement_postcode"] = (
                normalise_postcode(values["placement_postcode"])
                if values.get("placement_postcode")
                else ""
            )
            if values.get("distance_miles") is not None:
                values["distance_miles"] = values["distance_miles"].quantize(Decimal("0.1"))
            placements[row.key] = (row, values)
    by_person: dict[str, list] = defaultdict(list)
    for row in ctx.extract.tables.get(table, []):
        by_person[row.values["clae_person_id"]].append(row)
    ctx.period_of_episode_row = {}
    dobs = dict(Child.objects.values_list("pk", "date_of_birth"))
    for person, rows in by_person.items():
        child_id = ctx.object_id("ssd_person", person)
        if child_id is None:
            for row in rows:
                ctx.refuse(table, row, f"person {person} is not in ssd_person", "clae_person_id")
            continue
        planned = []
        for row in rows:
            ctx.period_of_episode_row[row.key] = (row.values.get("clae_cla_id") or "", child_id)
            values = ctx.parse(table, row, EPISODE)
            if values is None:
                continue
            legal = legal_status_on(legal_by_person.get(person, []), values["start"])
            if legal is None:
                ctx.refuse(
                    table,
                    row,
                    "no SSDA903 legal status open on the episode's start date in ssd_legal_status",
                    "clae_cla_episode_start_date",
                )
                continue
            values["legal_status"] = legal.values["lega_legal_status"].strip().upper()
            place = placements.get(row.values["clae_cla_placement_id"])
            if place is None:
                ctx.refuse(
                    table,
                    row,
                    f"placement {row.values['clae_cla_placement_id']} is not in ssd_cla_placement",
                    "clae_cla_placement_id",
                )
                continue
            prow, pvalues = place
            values.update(pvalues)
            place_end = prow.values.get("clap_cla_placement_end_date")
            if values["end"] is None or place_end != values["end"]:
                values["reason_place_change"] = ""  # the reason sits on the row that ends
            if values["placement_type"] not in PlacementType.values:
                ctx.refuse(table, row, "unknown placement type", "clap_cla_placement_type")
                continue
            planned.append((row, values))
        if len(planned) < len(rows):
            continue
        history = rules.sort_history(
            [
                rules.Episode(**{k: v for k, v in values.items() if k in RULE_FIELDS}, key=row.line)
                for row, values in planned
            ]
        )
        problems = [
            p
            for p in rules.history_problems(history, dobs.get(child_id))
            if not (p.index == 0 and p.field == "reason_new_episode")
        ]
        if problems:
            lines = {row.line: row for row, _ in planned}
            for p in problems:
                ctx.refuse(table, lines[history[p.index].key], p.message, p.field)
            continue
        # Episodes that gain an end first, so the one open episode is never two at once.
        planned.sort(key=lambda item: (item[1]["end"] is None, item[1]["start"]))
        for row, values in planned:
            digest = row_hash(values)
            if ctx.unchanged(table, row.key, digest) is not None:
                continue
            pk = ctx.object_id(table, row.key)
            episode = CareEpisode.objects.filter(pk=pk).first() if pk else None
            created = episode is None
            episode = episode or CareEpisode(child_id=child_id)
            for name, value in values.items():
                setattr(episode, name, value)
            episode.placement_location = ctx.placement_location(episode.placement_postcode) or (
                "" if created else episode.placement_location
            )
            try:
                with transaction.atomic():
                    episode.save()
            except IntegrityError as exc:
                ctx.refuse(table, row, f"the episode clashes with another: {exc}".splitlines()[0])
                continue
            ctx.record(table, row.key, episode, digest, created=created)
            ctx.changed_children.add(child_id)


RULE_FIELDS = {
    "start",
    "reason_new_episode",
    "legal_status",
    "category_of_need",
    "placement_type",
    "placement_provider",
    "placement_postcode",
    "placement_urn",
    "end",
    "reason_ceased",
    "reason_place_change",
    "distance_miles",
}
