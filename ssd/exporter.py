"""Writing the service's records as an SSD extract: one CSV per table, named after it, with the
SSD's column names (every column of the release the service reads; those it holds nothing for
are left empty), dates as SQL Server writes them. Read back by ssd.reader, this is the round trip
that proves the mapping (tests/ssd/test_round_trip.py).

The ids written are the service's own (the child's LA child ID as the person id, the username as
the professional id, record ids elsewhere; a period of care is `P` and its first episode's id), so
exporting twice writes the same files. Records are read in chunks: memory stays flat however
many years the service holds.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from ssd.mapping import care, people, reviews, staff
from ssd.tables import TABLES

CHUNK = 2000


class _Writers:
    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.files, self.writers, self.counts = {}, {}, defaultdict(int)

    def write(self, table: str, row: dict) -> None:
        if table not in self.writers:
            handle = (self.folder / TABLES[table].file_name).open("w", newline="", encoding="utf-8")
            self.files[table] = handle
            writer = csv.DictWriter(
                handle, fieldnames=list(TABLES[table].columns), lineterminator="\r\n"
            )
            writer.writeheader()
            self.writers[table] = writer
        self.writers[table].writerow({c: row.get(c, "") for c in TABLES[table].columns})
        self.counts[table] += 1

    def close(self) -> None:
        for handle in self.files.values():
            handle.close()


def export_extract(folder: str | Path) -> dict[str, int]:
    """Write the extract into `folder`; returns the rows written per table."""
    from iro.models import Allocation, CareEpisode, Child, Team, User
    from reviews.models import Review

    out = _Writers(Path(folder))
    try:
        for team in Team.objects.order_by("pk"):
            out.write("ssd_department", {"dept_team_id": str(team.pk), "dept_team_name": team.name})
        staff_ids = set(Allocation.objects.values_list("iro_id", flat=True)) | set(
            User.objects.filter(staff_records__isnull=False).values_list("pk", flat=True)
        )
        usernames = {}
        for user in User.objects.filter(pk__in=staff_ids).order_by("username"):
            usernames[user.pk] = user.username
            out.write("ssd_professionals", staff.export_professional(user))
        la_ids: dict[int, str] = {}
        children = Child.objects.order_by("la_child_id")
        last_pk = 0
        while True:
            chunk = list(children.filter(pk__gt=last_pk).order_by("pk")[:CHUNK])
            if not chunk:
                break
            last_pk = chunk[-1].pk
            _export_children(out, chunk, la_ids)
        for allocation in Allocation.objects.order_by("pk").iterator(chunk_size=CHUNK):
            out.write("ssd_involvements", staff.export_involvement(allocation, usernames, la_ids))
        del Review, CareEpisode
    finally:
        out.close()
    for table in TABLES:  # every table the service maps, even when it holds no rows
        if table not in out.writers:
            with (Path(folder) / TABLES[table].file_name).open(
                "w", newline="", encoding="utf-8"
            ) as handle:
                csv.writer(handle, lineterminator="\r\n").writerow(TABLES[table].columns)
            out.counts[table] = 0
    return dict(out.counts)


def _export_children(out: _Writers, chunk: list, la_ids: dict) -> None:
    from iro.models import CareEpisode
    from reviews.models import Review

    ids = [c.pk for c in chunk]
    episodes = defaultdict(list)
    for e in CareEpisode.objects.filter(child_id__in=ids).order_by("child_id", "start", "id"):
        episodes[e.child_id].append(e)
    child_reviews = defaultdict(list)
    for r in Review.objects.filter(child_id__in=ids).order_by("child_id", "due_date", "id"):
        child_reviews[r.child_id].append(r)
    for child in chunk:
        la_ids[child.pk] = child.la_child_id
        out.write("ssd_person", people.export_person(child))
        if child.upn:
            out.write(
                "ssd_linked_identifiers",
                {
                    "link_table_id": str(child.pk),
                    "link_person_id": child.la_child_id,
                    "link_identifier_type": "Unique Pupil Number",
                    "link_identifier_value": child.upn,
                },
            )
        out.write(
            "ssd_disability",
            {
                "disa_table_id": str(child.pk),
                "disa_person_id": child.la_child_id,
                "disa_disability_code": "DDA" if child.disability else "NONE",
            },
        )
        if child.uasc:
            out.write(
                "ssd_immigration_status",
                {
                    "immi_immigration_status_id": str(child.pk),
                    "immi_person_id": child.la_child_id,
                    "immi_immigration_status": "UASC",
                    "immi_immigration_status_end_date": care.EPISODE[0].format(child.uasc_ceased),
                },
            )
        if child.sibling_group_id:
            out.write(
                "ssd_family",
                {
                    "fami_table_id": str(child.pk),
                    "fami_family_id": str(child.sibling_group_id),
                    "fami_person_id": child.la_child_id,
                },
            )
        eps, legal, places, period_of = care.export_child_care(child, episodes[child.pk])
        for row in eps:
            out.write("ssd_cla_episodes", row)
        for row in legal:
            out.write("ssd_legal_status", row)
        for row in places:
            out.write("ssd_cla_placement", row)
        period_by_start = {}
        for e in episodes[child.pk]:
            pid = period_of[e.pk]
            period_by_start.setdefault(pid, e.start)
        starts = sorted((start, pid) for pid, start in period_by_start.items())
        for review in child_reviews[child.pk]:
            pid = ""
            for start, candidate in starts:
                if start <= review.period_start:
                    pid = candidate
            if pid:
                out.write("ssd_cla_reviews", reviews.export_review(review, pid))
