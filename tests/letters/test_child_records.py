"""The record of a review written to the child: offered on the outcome form, started from the
service's template for the child's age band, scored for readability, and counted by the record
timeliness figure (REC-01) like any review record."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from docx import Document

from iro.roles import Role
from letters.defaults import DEFAULT_TEMPLATES
from letters.models import ChildRecord, ChildRecordStatus, ChildRecordTemplate
from letters.readability import readability
from letters.services import child_record_mark_sent, child_record_save, template_text
from reporting.figures import Period, get_figure
from reviews.services import review_record_milestones
from tests.conftest import client_for
from tests.escalations.factories import make_responder, raise_irp
from tests.iro.factories import AllocationFactory, CareEpisodeFactory, ChildFactory, make_user
from tests.reviews.factories import at, booked_review, held_review

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
LABEL = "Save and write to the child"


@pytest.fixture
def sam(db, iro_allocated):
    child = ChildFactory(first_name="Sam", last_name="Lee", date_of_birth=date(2018, 3, 1))
    CareEpisodeFactory(child=child, start=date(2024, 1, 10))
    AllocationFactory(child=child, iro=iro_allocated)
    return child


OUTCOME = {
    "held_on_0": "3", "held_on_1": "12", "held_on_2": "2026",
    "participation": "PN1", "child_attended": "yes", "parents_attended": "no",
    "actual_venue": "office", "mode": "in_person", "child_seen_before": "yes",
    "childs_views_considered": "yes", "safeguarding_issue": "no",
}  # fmt: skip


def test_the_outcome_form_offers_the_record_to_the_child_and_the_iro_writes_it(sam, iro_allocated):
    with time_machine.travel(datetime(2026, 12, 3, 14, 0, tzinfo=LONDON), tick=False):
        review = booked_review(
            chair=iro_allocated,
            child=sam,
            starts_at=at(date(2026, 12, 3), 10),
            due_date=date(2026, 12, 10),
            period_start=date(2024, 1, 10),
        )
        client = client_for(iro_allocated)
        form = client.get(f"/reviews/{review.pk}/outcome/").content.decode()
        assert f'value="{LABEL}"' in form
        response = client.post(f"/reviews/{review.pk}/outcome/", {**OUTCOME, "follow_up": LABEL})
        assert response.status_code == 302
        assert response["Location"] == f"/letters/reviews/{review.pk}/record/"

        page = client.get(response["Location"]).content.decode()
        assert "Dear Sam," in page
        assert "At your review on 3 December 2026 we talked about" in page  # the 5-9 template
        assert "5 to 9" in page
        assert "Reading ease" in page
        assert not ChildRecord.objects.exists()  # nothing saved by opening it

        text = (
            "Dear Sam,\n\nAt your review on 3 December 2026 we talked about school and home. "
            "You said you like art and football. We agreed you will see your mum every week."
        )
        score = readability(text)
        checked = client.post(
            f"/letters/reviews/{review.pk}/record/", {"text": text, "action": "Check readability"}
        )
        assert checked.status_code == 200
        assert score.summary in checked.content.decode()
        assert score.reading_ease > 80  # short words and sentences
        assert not ChildRecord.objects.exists()

        done = client.post(
            f"/letters/reviews/{review.pk}/record/", {"text": text, "action": "Finish the record"}
        )
        assert done.status_code == 302
        record = ChildRecord.objects.get()
        assert (record.status, record.finished_on, record.age_band) == (
            "finished",
            date(2026, 12, 3),
            "5-9",
        )
        assert round(record.reading_ease, 1) == round(score.reading_ease, 1)
        review.refresh_from_db()
        assert review.record_completed_on == date(2026, 12, 3)
        assert review.record_distributed_on is None

        client.post(f"/letters/reviews/{review.pk}/record/sent/")
        review.refresh_from_db()
        assert review.record_distributed_on == date(2026, 12, 3)

        word = client.get(f"/letters/reviews/{review.pk}/record.docx")
        document = Document(io.BytesIO(word.content))
        body = "\n".join(p.text for p in document.paragraphs)
        assert "Dear Sam," in body and "see your mum every week" in body
        assert "Your review on 3 December 2026" in body

        record_page = client.get(f"/children/{sam.pk}/").content.decode()
        assert f"/letters/reviews/{review.pk}/record/" in record_page
        assert "Sent 3 Dec 2026" in record_page


def test_the_migration_seeds_one_template_per_age_band_and_keeps_a_changed_one(db):
    from importlib import import_module

    from django.apps import apps

    seed = import_module("letters.migrations.0002_seed_child_record_templates").seed
    ChildRecordTemplate.objects.all().delete()
    ChildRecordTemplate.objects.create(age_band="5-9", text="Ours")
    seed(apps, None)
    assert dict(ChildRecordTemplate.objects.values_list("age_band", "text"))["5-9"] == "Ours"
    assert sorted(ChildRecordTemplate.objects.values_list("age_band", flat=True)) == sorted(
        ["under 1", "1-4", "5-9", "10-15", "16+"]
    )  # every band of iro.age_bands.AGE_BANDS
    ChildRecordTemplate.objects.all().delete()
    assert template_text("10-15") == DEFAULT_TEMPLATES["10-15"]  # no row: the shipped text


def test_the_template_is_the_services_for_the_childs_age_band(sam, iro_allocated):
    ChildRecordTemplate.objects.update_or_create(
        age_band="16+",
        defaults={
            "text": "Hi {first_name}. Review {review_date}. From {iro_name}. {unknown} stays."
        },
    )
    older = ChildFactory(first_name="Jo", date_of_birth=date(2008, 1, 5))
    AllocationFactory(child=older, iro=iro_allocated)
    review = held_review(chair=iro_allocated, child=older, held_on=date(2024, 11, 4))
    page = client_for(iro_allocated).get(f"/letters/reviews/{review.pk}/record/")
    assert "Hi Jo. Review 4 November 2024. From Alice Adeyemi. {unknown} stays." in (
        page.content.decode()
    )


def test_an_empty_record_is_refused_and_a_review_not_held_has_none(sam, iro_allocated):
    review = held_review(chair=iro_allocated, child=sam, held_on=date(2024, 11, 4))
    client = client_for(iro_allocated)
    response = client.post(
        f"/letters/reviews/{review.pk}/record/", {"text": "  ", "action": "Finish the record"}
    )
    assert response.status_code == 400
    assert "Enter the record written to the child" in response.content.decode()
    assert not ChildRecord.objects.exists()
    booked = booked_review(chair=iro_allocated, child=sam)
    assert client.get(f"/letters/reviews/{booked.pk}/record/").status_code == 302
    sent = client.post(f"/letters/reviews/{review.pk}/record/sent/")
    assert sent.status_code == 302
    review.refresh_from_db()
    assert review.record_distributed_on is None  # not finished: not sent


def test_a_record_to_the_child_counts_in_rec_01_like_any_record_and_leaves_rev_12_alone(
    iro_allocated,
):
    year = Period.year(2024)
    # An ordinary record: held Thu 19 Dec 2024, completed Fri 10 Jan 2025 (13 working days,
    # Christmas, Boxing Day and New Year's Day not counted), sent Mon 20 Jan (19).
    held_review(
        chair=iro_allocated, held_on=date(2024, 12, 19), permanence_plan_type="adoption",
        record_completed_on=date(2025, 1, 10), record_distributed_on=date(2025, 1, 20),
    )  # fmt: skip
    # The same dates reached by writing to the child: finished on 10 Jan, sent on 20 Jan.
    to_child = held_review(chair=iro_allocated, held_on=date(2024, 12, 19))
    rev_12_before = get_figure("REV-12").compute(year).value
    before = get_figure("REC-01").compute(year)
    assert before.table[1][3] == 1 and before.table[2][3] == 1  # one record of each step
    child_record_save(
        review=to_child, text="Dear Sam, we met.", by=iro_allocated, finish=True,
        today=date(2025, 1, 10),
    )  # fmt: skip
    child_record_mark_sent(review=to_child, today=date(2025, 1, 20))
    after = get_figure("REC-01").compute(year)
    assert after.breakdown == {
        "manager informed": None, "record completed": 13.0, "record distributed": 19.0,
    }  # fmt: skip
    assert after.value == 19.0
    assert after.table[1] == ["record completed", 15, 13.0, 2, 2, 100.0]
    assert after.table[2] == ["record distributed", 20, 19.0, 2, 2, 100.0]
    # REV-12 counts reviews held with a permanence plan: a record to the child changes nothing.
    assert get_figure("REV-12").compute(year).value == rev_12_before == 50.0


def test_a_date_already_recorded_is_kept(iro_allocated):
    review = held_review(chair=iro_allocated, held_on=date(2024, 12, 19))
    review_record_milestones(
        review=review, manager_informed_on=date(2024, 12, 20), record_completed_on=date(2025, 1, 6),
        record_distributed_on=None, today=date(2025, 1, 6),
    )  # fmt: skip
    child_record_save(
        review=review, text="Dear Sam.", by=iro_allocated, finish=True, today=date(2025, 1, 10)
    )
    review.refresh_from_db()
    assert review.record_completed_on == date(2025, 1, 6)
    assert review.manager_informed_on == date(2024, 12, 20)


def test_the_readability_check_answers_the_writer_and_no_one_else(
    iro_allocated, performance_officer, board_member
):
    text = "We met today. You told me about your new school."
    response = client_for(iro_allocated).post("/letters/readability.json", {"text": text})
    assert response.status_code == 200
    assert response.json()["reading_ease"] == round(readability(text).reading_ease, 1)
    assert response.json()["words"] == 10
    assert client_for(iro_allocated).get("/letters/readability.json").status_code == 405
    for user in (performance_officer, board_member):
        assert client_for(user).post("/letters/readability.json", {"text": text}).status_code == 403


def test_who_may_open_a_record_written_to_the_child(
    sam, iro_allocated, iro_other, team_manager, performance_officer, board_member
):
    review = held_review(chair=iro_allocated, child=sam, held_on=date(2024, 11, 4))
    child_record_save(review=review, text="Dear Sam.", by=iro_allocated, finish=True)
    responder = make_responder("sw_team_manager", username="sam-r")
    raise_irp(iro=iro_allocated, children=[sam], responder=responder)
    head = make_user(Role.HEAD_OF_SERVICE, username="harriet")
    expected = {
        iro_allocated: 200,
        team_manager: 200,
        iro_other: 404,
        performance_officer: 403,
        board_member: 403,
        responder: 403,
        head: 403,
    }
    for url in (
        f"/letters/reviews/{review.pk}/record/",
        f"/letters/reviews/{review.pk}/record.docx",
    ):
        got = {user: client_for(user).get(url).status_code for user in expected}
        assert got == expected, url
    assert ChildRecord.objects.get().status == ChildRecordStatus.FINISHED
