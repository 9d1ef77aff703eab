"""The nightly sync is incremental: after a bootstrap, an extract with 1% of its rows changed
brings exactly those changes (and a row gone from the extract closes its record, flagged, not
deleted); nothing else is written."""

import csv
from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from iro.models import Allocation, Child
from reviews.models import Review
from ssd.exporter import export_extract
from ssd.models import SourceRecord
from ssd.sync import run_sync
from tests.reporting.returns.test_generated_returns import empty_case_records

TODAY = date(2026, 6, 30)
ROLES = {"IRO": "cla", "CPCHAIR": "cp"}


def read(path):
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return rows


def write(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_one_percent_changed_brings_exactly_those_changes(tmp_path):
    call_command("generate_data", scale="small", seed=5, today=TODAY, stdout=StringIO())
    folder = tmp_path / "ssd"
    export_extract(folder)
    empty_case_records()
    assert run_sync(folder, roles=ROLES).status == "done"

    people = read(folder / "ssd_person.csv")
    renamed = {row["pers_person_id"]: f"Renamed{i}" for i, row in enumerate(people[::100])}
    for row in people:
        if row["pers_person_id"] in renamed:
            row["pers_forename"] = renamed[row["pers_person_id"]]
    write(folder / "ssd_person.csv", people)

    reviews = read(folder / "ssd_cla_reviews.csv")
    held = [r for r in reviews if r["clar_cla_review_participation"] in ("PN1", "PN2")]
    moved = {}
    for row in held[::100]:
        row["clar_cla_review_participation"] = {"PN1": "PN2", "PN2": "PN1"}[
            row["clar_cla_review_participation"]
        ]
        moved[row["clar_cla_review_id"]] = row["clar_cla_review_participation"]
    write(folder / "ssd_cla_reviews.csv", reviews)

    involvements = read(folder / "ssd_involvements.csv")
    open_rows = [r for r in involvements if not r["invo_involvement_end_date"]]
    gone = open_rows[0]["invo_involvements_id"]
    write(
        folder / "ssd_involvements.csv",
        [r for r in involvements if r["invo_involvements_id"] != gone],
    )

    child_history = Child.history.count()
    review_history = Review.history.count()
    run = run_sync(folder, roles=ROLES)
    assert run.status == "done", run.rejected[:5]
    changed = {
        table: {k: v for k, v in counts.items() if k in ("add", "change", "close", "reject")}
        for table, counts in run.counts.items()
    }
    changed = {t: c for t, c in changed.items() if c}
    assert changed == {
        "ssd_person": {"change": len(renamed)},
        "ssd_cla_reviews": {"change": len(moved)},
        "ssd_involvements": {"close": 1},
    }
    assert len(renamed) >= 3 and len(moved) >= 3
    assert (
        dict(Child.objects.filter(la_child_id__in=renamed).values_list("la_child_id", "first_name"))
        == renamed
    )
    links = dict(
        SourceRecord.objects.filter(table="ssd_cla_reviews", ssd_id__in=moved).values_list(
            "ssd_id", "object_id"
        )
    )
    assert {sid: Review.objects.get(pk=pk).participation for sid, pk in links.items()} == moved
    assert Child.history.count() == child_history + len(renamed)
    assert Review.history.count() == review_history + len(moved)
    link = SourceRecord.objects.get(table="ssd_involvements", ssd_id=gone)
    assert link.removed_at_source and link.removed_on == TODAY
    assert Allocation.objects.get(pk=link.object_id).end == TODAY
