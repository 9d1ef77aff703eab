"""Returns pages: who may reach them, what they show, and the upload with its progress."""

import io
import zipfile
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reporting.models import ImportRun, ImportStatus, ReturnDownload
from reporting.returns.annex_a import LIST_5, LIST_7, LIST_8
from reporting.returns.tasks import run_import
from tests.iro.factories import CareEpisodeFactory, ChildFactory
from tests.reporting.returns.test_ssda903 import good_files

pytestmark = pytest.mark.django_db

OTHER_ROLES = [
    "iro_allocated",
    "iro_other",
    "team_manager",
    "head_of_service",
    "board_member",
    "administrator",
]


def urls(run_pk: int) -> list[str]:
    return [
        reverse("reporting:returns-home"),
        reverse("reporting:returns-903-check", args=[2024]),
        reverse("reporting:returns-903-download", args=[2024]),
        reverse("reporting:returns-cin-download", args=[2024]),
        reverse("reporting:returns-annex-a"),
        reverse("reporting:returns-import"),
        reverse("reporting:returns-import-run", args=[run_pk]),
        reverse("reporting:returns-import-status", args=[run_pk]),
    ]


def zipped(files_by_folder: dict[str, dict[str, str]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for folder, files in files_by_folder.items():
            for name, text in files.items():
                archive.writestr(f"{folder}/{name}", text)
    return out.getvalue()


@pytest.fixture
def run(performance_officer):
    return ImportRun.objects.create(created_by=performance_officer, file_name="x.zip", upload=b"")


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_cannot_reach_any_returns_page(role, personas, login, run):
    client = login(personas[role])
    for url in urls(run.pk):
        assert client.get(url).status_code == 403, url
    upload = io.BytesIO(zipped({"2024": good_files()}))
    upload.name = "r.zip"
    assert client.post(reverse("reporting:returns-import"), {"file": upload}).status_code == 403
    assert ImportRun.objects.count() == 1
    for name in ("reporting:returns-903-zip", "reporting:returns-cin-xml"):
        assert client.post(reverse(name, args=[2024])).status_code == 403
    assert not ReturnDownload.objects.exists()


def test_signed_out_users_are_sent_to_sign_in(client, run):
    for url in urls(run.pk):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_performance_officer_reaches_every_page(performance_officer, login, run):
    client = login(performance_officer)
    for url in urls(run.pk):
        assert client.get(url).status_code == 200, url


def test_home_lists_files_not_produced_and_unknown_postcodes(performance_officer, login):
    CareEpisodeFactory(start=date(2024, 6, 1), home_postcode="ZZ1 1ZZ", placement_postcode="")
    response = login(performance_officer).get(reverse("reporting:returns-home") + "?year=2024")
    html = response.content.decode()
    assert "Files this service cannot produce" in html and "Missing" in html and "PrevPerm" in html
    assert "ZZ1 1ZZ" in html and "1 unknown postcode" in html


def test_home_query_count_does_not_grow_with_imports(
    performance_officer, login, django_assert_max_num_queries
):
    client = login(performance_officer)
    url = reverse("reporting:returns-home")
    ImportRun.objects.create(created_by=performance_officer, file_name="a.zip", upload=b"")
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for i in range(8):
        ImportRun.objects.create(created_by=performance_officer, file_name=f"{i}.zip", upload=b"")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_check_page_lists_problems_child_by_child_with_a_link(performance_officer, login):
    child = ChildFactory(la_child_id="K1", sex="F", mother=None)
    CareEpisodeFactory(child=child, start=date(2024, 6, 1), placement_urn="")
    html = (
        login(performance_officer)
        .get(reverse("reporting:returns-903-check", args=[2024]))
        .content.decode()
    )
    assert "1 child with problems" in html
    assert "Header MOTHER: Record whether she is a mother." in html
    assert "needs its Ofsted URN" in html
    assert f'href="{reverse("children:detail", kwargs={"pk": child.pk})}"' in html


def test_export_zip_holds_the_four_files(performance_officer, login):
    CareEpisodeFactory(start=date(2024, 6, 1))
    response = login(performance_officer).post(reverse("reporting:returns-903-zip", args=[2024]))
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert sorted(n.split("/")[-1] for n in names) == [
        "episodes.csv",
        "header.csv",
        "reviews.csv",
        "uasc.csv",
    ]
    assert response["Content-Disposition"].endswith('ssda903-2024-2025.zip"')


def test_annex_a_columns_and_formula_escaping(performance_officer, login):
    child = ChildFactory(la_child_id="=HYPERLINK(1)", date_of_birth=date(2012, 1, 1))
    CareEpisodeFactory(child=child, start=date(2024, 6, 1), placement_postcode="+44")
    response = login(performance_officer).get(
        reverse("reporting:returns-annex-a") + "?on=2025-03-31"
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "About",
        "List 5 S47 enquiries",
        "List 7 Child protection",
        "List 8 Children in care",
    ]
    sheet = book["List 8 Children in care"]
    assert [c.value for c in sheet[1]] == LIST_8
    row = [c.value for c in sheet[2]]
    assert row[0] == "'=HYPERLINK(1)" and row[LIST_8.index("Placement postcode")] == "'+44"
    assert row[LIST_8.index("Age of Child (Years)")] == 13
    assert [c.value for c in book["List 5 S47 enquiries"][1]] == LIST_5
    assert [c.value for c in book["List 7 Child protection"][1]] == LIST_7


def test_upload_queues_an_import_that_the_task_runs(
    performance_officer, login, django_capture_on_commit_callbacks
):
    client = login(performance_officer)
    upload = io.BytesIO(zipped({"2024": good_files()}))
    upload.name = "returns.zip"
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("reporting:returns-import"), {"file": upload})
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:returns-import-run", args=[run.pk])
    assert len(callbacks) == 1  # enqueued on commit
    assert run.status == ImportStatus.QUEUED
    status = client.get(reverse("reporting:returns-import-status", args=[run.pk])).json()
    assert status == {
        "id": run.pk,
        "status": "queued",
        "status_label": "Waiting to start",
        "progress": 0,
        "finished": False,
        "refusals": 0,
    }
    assert run_import(run.pk) == ImportStatus.DONE  # the Celery task, run here in-process
    run.refresh_from_db()
    assert (run.progress, run.rows, run.years) == (100, 8, ["2024"])
    assert run.counts == {"children created": 2, "episodes created": 3, "reviews created": 2}
    html = client.get(reverse("reporting:returns-import-run", args=[run.pk])).content.decode()
    assert "Children created: 2" in html and 'value="100"' in html


def test_refused_upload_lists_every_refused_row(performance_officer, login):
    files = good_files()
    files["reviews.csv"] += "A1,01/02/2012,01/03/2024,PN1\r\n"
    run = ImportRun.objects.create(
        created_by=performance_officer, file_name="bad.zip", upload=zipped({"2024": files})
    )
    assert run_import(run.pk) == ImportStatus.REFUSED
    html = (
        login(performance_officer)
        .get(reverse("reporting:returns-import-run", args=[run.pk]))
        .content.decode()
    )
    assert "Nothing was imported: 1 row refused" in html
    assert "Review before the child&#x27;s care began" in html


def test_upload_that_is_not_a_zip_is_refused_on_the_form(performance_officer, login):
    upload = io.BytesIO(b"\x89PNG\r\n\x1a\n")
    upload.name = "returns.zip"
    response = login(performance_officer).post(
        reverse("reporting:returns-import"), {"file": upload}
    )
    assert response.status_code == 400
    assert "The file is not a zip file." in response.content.decode()
    assert not ImportRun.objects.exists()


def test_annex_a_rows_carry_the_latest_review_conference_statutory_review_and_iro_contact(
    performance_officer, iro_allocated
):
    from protection.models import Conference
    from reporting.returns import annex_a
    from reviews.models import ContactKind, IroContact
    from tests.protection.factories import book, plan_from_icpc
    from tests.reviews.factories import held_review

    # List 5 and 7: s47 from 10 April 2025, ICPC on 1 May 2025 starting a plan, RCPC held.
    cp_child = ChildFactory(la_child_id="CP1", date_of_birth=date(2015, 6, 15))
    plan = plan_from_icpc(cp_child, iro_allocated)
    rcpc = Conference.objects.get(plan=plan, kind="rcpc")
    book(rcpc, iro_allocated, date(2025, 7, 30))
    from protection import services as cp_services

    cp_services.conference_record_outcome(
        conference=rcpc,
        held_on=date(2025, 7, 30),
        outcome="cp_plan",
        category="NEG",
        recorded_by=iro_allocated,
    )
    on = date(2025, 9, 1)
    (s47_row,) = annex_a.list_5(performance_officer, on)
    assert s47_row[0] == "CP1"
    assert s47_row[8:] == [date(2025, 4, 10), "", date(2025, 5, 1), "Yes", 1, 1]
    (cp_row,) = annex_a.list_7(performance_officer, on)
    assert cp_row[8:11] == [date(2025, 5, 1), "NEG", "NEG"]
    assert cp_row[LIST_7.index("Date of latest review conference")] == date(2025, 7, 30)
    assert cp_row[LIST_7.index("Number of Previous Child Protection Plans")] == 0

    # List 8: latest statutory review and last IRO contact.
    cla = ChildFactory(la_child_id="LA1", date_of_birth=date(2012, 2, 2))
    CareEpisodeFactory(child=cla, start=date(2025, 1, 6), placement_urn="SC1")
    held_review(chair=iro_allocated, child=cla, held_on=date(2025, 2, 3))
    held_review(chair=iro_allocated, child=cla, held_on=date(2025, 5, 1))
    IroContact.objects.create(
        child=cla, iro=iro_allocated, contact_on=date(2025, 6, 9), kind=ContactKind.PHONE
    )
    (row,) = annex_a.list_8(performance_officer, on)
    assert row[0] == "LA1"
    assert row[LIST_8.index("Date of latest statutory review")] == date(2025, 5, 1)
    assert row[LIST_8.index("Date of last IRO visit or contact")] == date(2025, 6, 9)
    assert row[LIST_8.index("Date started to be looked after")] == date(2025, 1, 6)
    assert row[LIST_8.index("Number of placements in the last 12 months")] == 1


def test_check_page_query_count_does_not_grow_with_children(
    performance_officer, login, django_assert_max_num_queries
):
    client = login(performance_officer)
    url = reverse("reporting:returns-903-check", args=[2024])
    CareEpisodeFactory(child=ChildFactory(mother=None), start=date(2024, 6, 1))
    with django_assert_max_num_queries(30) as few:
        assert "1 child with problems" in client.get(url).content.decode()
    for _ in range(12):
        CareEpisodeFactory(child=ChildFactory(mother=None), start=date(2024, 6, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "13 children with problems" in client.get(url).content.decode()
