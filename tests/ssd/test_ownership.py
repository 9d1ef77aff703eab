"""Ownership: what the service records is never overwritten; a fact both hold is decided by the
stated rule and listed as a conflict. And the PostgreSQL schema source."""

from datetime import date

import pytest
from django.db import connection

from iro.models import Child
from iro.roles import Role
from reviews.models import Review, ReviewStatus
from ssd.models import SyncConflict
from ssd.sync import run_sync
from tests.iro.factories import make_user
from tests.ssd.test_bad_input import EPISODES, LEGAL, PERSON, PLACEMENT, extract

REVIEWS = (
    "clar_cla_review_id,clar_cla_id,clar_cla_review_due_date,clar_cla_review_date,"
    "clar_cla_review_cancelled,clar_cla_review_participation\r\n"
    "40,P1,2024-05-29 00:00:00.000,2024-05-28 00:00:00.000,N,{code}\r\n"
)


@pytest.mark.django_db
def test_a_review_recorded_in_the_service_keeps_its_values_and_the_difference_is_listed(tmp_path):
    assert run_sync(extract(tmp_path, ssd_cla_reviews=REVIEWS.format(code="PN1"))).status == "done"
    review = Review.objects.get(status=ReviewStatus.HELD)
    assert (review.held_on, review.participation, review.sequence) == (
        date(2024, 5, 28),
        "PN1",
        "first",
    )
    # The IRO records the outcome in the service: the child took part through an advocate.
    review.participation = "PN3"
    review.outcome_recorded_by = make_user(Role.IRO)
    review.save()
    run = run_sync(extract(tmp_path, ssd_cla_reviews=REVIEWS.format(code="PN2")))
    assert run.status == "done"
    assert run.counts["ssd_cla_reviews"] == {"conflict": 1}
    review.refresh_from_db()
    assert review.participation == "PN3"  # the service's value stands
    conflict = SyncConflict.objects.get()
    assert (conflict.field, conflict.service_value, conflict.source_value) == (
        "participation",
        "PN3",
        "PN2",
    )
    assert "the service's value stands" in conflict.rule
    # Listed once: the next night, with nothing new, nothing more.
    again = run_sync(extract(tmp_path, ssd_cla_reviews=REVIEWS.format(code="PN2")))
    assert again.counts["ssd_cla_reviews"] == {"unchanged": 1}
    assert SyncConflict.objects.count() == 1


@pytest.mark.django_db
def test_service_fields_of_a_child_are_kept(tmp_path):
    run_sync(extract(tmp_path))
    Child.objects.filter(la_child_id="C1").update(restricted=True)
    run_sync(extract(tmp_path, ssd_person=PERSON.replace("Ann", "Anne")))
    child = Child.objects.get(la_child_id="C1")
    assert child.first_name == "Anne" and child.restricted


@pytest.mark.django_db
def test_an_extract_in_a_postgresql_schema_is_read_like_files():
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA ssd_extract")
        for name, text in (
            ("ssd_person", PERSON),
            ("ssd_cla_episodes", EPISODES),
            ("ssd_legal_status", LEGAL),
            ("ssd_cla_placement", PLACEMENT),
        ):
            header, *rows = [line.split(",") for line in text.strip().split("\r\n")]
            columns = ", ".join(f"{c} text" for c in header)
            cursor.execute(f"CREATE TABLE ssd_extract.{name} ({columns})")
            for row in rows:
                values = [v or None for v in row]
                marks = ", ".join(["%s"] * len(values))
                cursor.execute(f"INSERT INTO ssd_extract.{name} VALUES ({marks})", values)
    run = run_sync("", schema="ssd_extract")
    assert run.status == "done", run.rejected
    assert run.source == "schema ssd_extract"
    assert Child.objects.count() == 2
    assert run.counts["ssd_cla_episodes"] == {"add": 1}


PROFESSIONALS = (
    "prof_professional_id,prof_staff_id,prof_professional_name,prof_full_time_equivalency\r\n"
    "P1,jo.iro,Jo Smith,1\r\nP2,sw.one,Sam Worker,1\r\n"
)
INVOLVEMENTS = (
    "invo_involvements_id,invo_professional_id,invo_professional_role_id,"
    "invo_involvement_start_date,invo_involvement_end_date,invo_person_id\r\n"
    "1,P1,IRO,2024-05-02 00:00:00.000,,C1\r\n"
    "2,P2,CW,2024-05-01 00:00:00.000,,C1\r\n"
)


@pytest.mark.django_db
def test_only_the_roles_the_authority_names_become_allocations(tmp_path):
    folder = extract(tmp_path, ssd_professionals=PROFESSIONALS, ssd_involvements=INVOLVEMENTS)
    unnamed = run_sync(folder, dry_run=True, roles={})
    assert "No involvement role is set as IRO or CP chair" in unnamed.message
    run = run_sync(folder, roles={"IRO": "cla"})
    assert run.status == "done", run.rejected
    assert run.counts["ssd_involvements"] == {"add": 1, "other role": 1}
    assert "CW (1 rows): not an allocation; IRO (1 rows): CLA reviewing officer" in run.message
    assert [(u["column"], u["code"]) for u in run.unmapped] == [
        ("invo_professional_role_id", "CW"),
        ("lega_legal_status", "SGO"),
    ]
    child = Child.objects.get(la_child_id="C1")
    allocation = child.allocations.get()
    assert (allocation.iro.username, allocation.role, allocation.start) == (
        "jo.iro",
        "cla",
        date(2024, 5, 2),
    )
