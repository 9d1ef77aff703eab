"""The runs page, the nightly task, the audit log and partial extracts."""

import pytest
from django.urls import reverse

from iro.models import AuditEvent, Child, User
from iro.roles import Role
from ssd.models import SyncRun
from ssd.sync import SYNC_ACCOUNT, progress_key, run_sync
from ssd.tasks import nightly_sync
from tests.iro.factories import make_user
from tests.ssd.test_bad_input import PERSON, extract

PROFESSIONALS = (
    "prof_professional_id,prof_staff_id,prof_professional_name,prof_professional_job_title,"
    "prof_full_time_equivalency\r\n"
    "P1,jo.iro,Jo Smith,IRO,\r\n"
    "P2,al.iro,Al Jones,IRO,0.8\r\n"
)


@pytest.mark.django_db
def test_the_nightly_task_syncs_from_the_configured_folder_and_audits_it(tmp_path, settings):
    settings.SSD_SYNC_SOURCE = ""
    assert nightly_sync() is None  # nothing configured, nothing done
    settings.SSD_SYNC_SOURCE = str(extract(tmp_path))
    run = SyncRun.objects.get(pk=nightly_sync())
    assert run.nightly and run.status == "done" and Child.objects.count() == 2
    event = AuditEvent.objects.get(action=AuditEvent.Action.CASE_SYSTEM_SYNC)
    assert event.subject.username == SYNC_ACCOUNT and not event.subject.is_active
    assert "sync done" in event.detail and "add 3" in event.detail  # two people, one episode
    # A second night with nothing new: everything unchanged, audited again.
    again = SyncRun.objects.get(pk=nightly_sync())
    assert again.counts["ssd_person"] == {"unchanged": 2}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CASE_SYSTEM_SYNC).count() == 2


@pytest.mark.django_db
def test_an_empty_fte_keeps_the_services_own_and_says_which_figures(tmp_path):
    User.objects.create(username="jo.iro", first_name="Jo", last_name="Smith", fte="0.50")
    run = run_sync(extract(tmp_path, ssd_professionals=PROFESSIONALS))
    assert run.status == "done", run.rejected
    assert str(User.objects.get(username="jo.iro").fte) == "0.50"  # the service's own stays
    assert str(User.objects.get(username="al.iro").fte) == "0.80"
    assert "FTE is empty for 1 of 2 professionals" in run.message
    # The involvements table is missing: the allocation figures cannot come from the extract.
    gaps = {g["input"]: g["figures"] for g in run.coverage["figures_not_from_extract"]}
    assert gaps["ssd_involvements"] == "IRO-01, IRO-02, ALC-*"
    assert "ssd_cla_reviews" in gaps
    assert run.coverage["missing_columns"]["ssd_person"][:3] == [
        "pers_gender",
        "pers_common_child_id",
        "pers_legacy_id",
    ]


@pytest.mark.django_db
def test_the_performance_officer_reads_runs_counts_and_downloads(client, tmp_path):
    bad = PERSON + "C3,Cat,Cole,Q,WBRI,2016-01-01 00:00:00.000\r\n"
    refused = run_sync(extract(tmp_path, ssd_person=bad), dry_run=True)
    done = run_sync(extract(tmp_path, ssd_person=PERSON))
    client.force_login(make_user(Role.PERFORMANCE_OFFICER))
    page = client.get(reverse("ssd:runs")).content.decode()
    assert page.count('href="/case-system/') >= 2
    detail = client.get(reverse("ssd:run", args=[done.pk])).content.decode()
    assert "ssd_person" in detail and ">2</td>" in detail  # two people added
    rejected = client.get(reverse("ssd:run-rejected", args=[refused.pk])).content.decode()
    assert rejected.splitlines() == [
        "file,line,id,column,reason",
        "ssd_person.csv,4,C3,pers_sex,unknown code in pers_sex: 'Q'",
    ]
    unmapped = client.get(reverse("ssd:run-unmapped", args=[refused.pk])).content.decode()
    assert "ssd_person,pers_sex,Q,1,ssd_person.csv,4" in unmapped


@pytest.mark.django_db
def test_progress_is_shown_while_a_run_runs(client):
    from django.core.cache import cache

    run = SyncRun.objects.create(source="x", status="running")
    cache.set(progress_key(run.pk), {"done": 3, "total": 6, "stage": "care"})
    client.force_login(make_user(Role.ADMINISTRATOR))
    assert client.get(reverse("ssd:run-status", args=[run.pk])).json()["done"] == 3
    page = client.get(reverse("ssd:run", args=[run.pk])).content.decode()
    assert "care (3 of 6 steps)" in page
    # The administrator sees counts, not the rows (which carry case system ids).
    assert client.get(reverse("ssd:run-rejected", args=[run.pk])).status_code == 403


@pytest.mark.django_db
def test_starting_a_dry_run_from_the_page_queues_it(client, tmp_path, settings):
    settings.SSD_SYNC_SOURCE = str(extract(tmp_path))
    settings.CELERY_TASK_ALWAYS_EAGER = True
    officer = make_user(Role.PERFORMANCE_OFFICER)
    client.force_login(officer)
    response = client.post(reverse("ssd:start"), {"kind": "dry"})
    run = SyncRun.objects.get()
    assert response.status_code == 302 and run.dry_run and run.started_by == officer
