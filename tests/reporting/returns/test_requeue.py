"""A return uploaded while the broker is down waits, is sent again by beat, and runs once."""

import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from iro.models import Child
from reporting.models import ImportRun, ImportStatus
from reporting.returns.services import REQUEUE_AFTER, requeue_waiting_imports
from reporting.returns.tasks import run_import
from tests.notifications.test_delivery import broker_down  # noqa: F401 - the fixture
from tests.reporting.returns.test_pages import zipped
from tests.reporting.returns.test_ssda903 import good_files


def test_an_upload_while_the_broker_is_down_waits_and_is_sent_again(
    performance_officer,
    login,
    broker_down,  # noqa: F811
    caplog,
    django_capture_on_commit_callbacks,
):
    client = login(performance_officer)
    upload = io.BytesIO(zipped({"2024": good_files()}))
    upload.name = "returns.zip"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("reporting:returns-import"), {"file": upload})
    run = ImportRun.objects.get()
    # The upload is kept and the user sent to its page, not shown an error.
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:returns-import-run", args=[run.pk])
    assert len(callbacks) == 1
    assert "Broker unavailable" in caplog.text
    assert run.status == ImportStatus.QUEUED

    # Beat sends again only runs that have waited REQUEUE_AFTER.
    now = timezone.now()
    assert requeue_waiting_imports(now=now) == []
    with django_capture_on_commit_callbacks(execute=True) as resent:
        assert requeue_waiting_imports(now=now + REQUEUE_AFTER + timedelta(seconds=1)) == [run.pk]
    assert len(resent) == 1


def test_a_run_handed_to_two_workers_is_imported_once(performance_officer):
    run = ImportRun.objects.create(
        created_by=performance_officer, file_name="twice.zip", upload=zipped({"2024": good_files()})
    )
    assert run_import(run.pk) == ImportStatus.DONE
    children = Child.objects.count()
    assert children == 2
    # A second message for the same run (sent again by beat) finds it claimed: nothing happens.
    assert run_import(run.pk) == ImportStatus.DONE
    assert Child.objects.count() == children
    run.refresh_from_db()
    assert run.counts == {"children created": 2, "episodes created": 3, "reviews created": 2}
    # Finished runs are never sent again.
    later = timezone.now() + REQUEUE_AFTER * 10
    assert requeue_waiting_imports(now=later) == []
