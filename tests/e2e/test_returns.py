"""A performance officer uploads a zip of SSDA903 returns, watches the import's progress, reads
the refused rows, and downloads the Annex A workbook. A real Celery worker runs the import."""

import io
import os
import subprocess
import sys
import time
import uuid
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from iro.roles import Role
from reporting.models import ImportRun
from tests.iro.factories import CareEpisodeFactory, ChildFactory, make_user
from tests.reporting.returns.test_ssda903 import good_files
from tests.worker_database import worker_database_url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-results"


@pytest.fixture
def celery_worker_process(tmp_path):
    """A Celery worker on the test database and the configured broker, reading a queue of its own
    (the web side sends there too), so parallel test runs never take each other's tasks."""
    from config.celery_app import app

    queue = f"iro-e2e-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_QUEUE": queue,
    }
    log_path = tmp_path / "worker.log"
    log = log_path.open("w")
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config.celery_app",
            "worker",
            "-P",
            "solo",
            "-l",
            "info",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    saved_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        # Ready when the worker says so (it logs "ready." once it consumes its queue).
        deadline = time.monotonic() + 60
        while " ready." not in log_path.read_text():
            assert worker.poll() is None, log_path.read_text()[-3000:]
            assert time.monotonic() < deadline, "the worker did not start in 60 s"
            time.sleep(0.2)
        yield worker
    finally:
        app.conf.task_default_queue = saved_queue
        worker.terminate()
        worker.wait(timeout=20)
        log.close()


def returns_zip(path: Path) -> Path:
    files = good_files()
    files["reviews.csv"] += "A1,01/02/2012,01/03/2024,PN1\r\n"  # before care began
    files["header.csv"] += "B1,X,01/01/2010,WBRI,UN5,,\r\n"  # unknown code
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(f"ssda903-2024-2025/{name}", text)
    return path


def test_performance_officer_imports_903_reads_refusals_and_downloads_annex_a(
    page, live_server, sign_in, assert_accessible, celery_worker_process, tmp_path
):
    officer = make_user(
        Role.PERFORMANCE_OFFICER, username="e2e-po", first_name="Pat", last_name="Owens"
    )
    child = ChildFactory(la_child_id="L8CHILD", date_of_birth=date(2013, 5, 5))
    CareEpisodeFactory(child=child, start=date(2025, 1, 6), placement_urn="SC1")

    sign_in(page, officer)
    page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name="Returns"
    ).click()
    expect(page.get_by_role("heading", name="Statutory returns", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Upload one or several years' returns").click()
    # The limits are shown before the upload.
    expect(page.get_by_test_id("import-limits")).to_contain_text("files in the zip")
    assert_accessible(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "returns-import-upload.png"), full_page=True)
    page.get_by_label("SSDA903 returns (zip or CSV)").set_input_files(
        returns_zip(tmp_path / "r.zip")
    )
    page.get_by_role("button", name="Upload and import").click()

    # The page polls the status endpoint; the worker moves the bar to 100 and the page reloads.
    expect(page.get_by_role("heading", level=1)).to_contain_text("SSDA903 import: r.zip")
    progress = page.locator("#import-progress")
    expect(progress).to_be_visible()
    expect(page.get_by_test_id("refusals")).to_be_visible(timeout=30_000)
    assert progress.get_attribute("value") == "100"
    refusals = page.get_by_test_id("refusals")
    expect(refusals).to_contain_text("Review before the child's care began")
    expect(refusals).to_contain_text("Unknown code in SEX: 'X'")
    expect(page.get_by_text("Nothing was imported: 2 rows refused")).to_be_visible()
    summary = page.get_by_test_id("import-summary")
    expect(summary).to_contain_text("Rejected rows")
    with page.expect_download() as refused_csv:
        page.get_by_role("link", name="Download the refused rows (CSV)").click()
    lines = Path(refused_csv.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "file,line,child,column,reason" and len(lines) == 3
    assert_accessible(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "returns-import-refusals.png"), full_page=True)
    run = ImportRun.objects.get()
    assert run.status == "refused" and len(run.refusals) == 2

    page.get_by_role("link", name="Back to statutory returns").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download Annex A lists 5, 7 and 8 (XLSX)").click()
    data = Path(download_info.value.path()).read_bytes()
    book = load_workbook(io.BytesIO(data))
    list_8 = book["List 8 Children in care"]
    assert [c.value for c in list_8["A"]][1:] == ["L8CHILD"]
    page.screenshot(path=str(SCREENSHOTS / "returns-home.png"), full_page=True)


def test_performance_officer_reads_what_a_return_holds_then_downloads_it(
    page, live_server, sign_in, assert_accessible
):
    """The SSDA903 return holds restricted children: its download page says so, with the
    numbers, before the file is made, and the download is recorded and listed."""
    from reporting.models import ReturnDownload

    officer = make_user(
        Role.PERFORMANCE_OFFICER, username="e2e-po2", first_name="Pat", last_name="Owens"
    )
    for la_id, restricted in (("OPEN1", False), ("SECRET1", True)):
        child = ChildFactory(la_child_id=la_id, restricted=restricted)
        CareEpisodeFactory(child=child, start=date(2024, 6, 3), placement_urn="SC1")

    sign_in(page, officer)
    page.goto(f"{live_server.url}/reporting/returns/?year=2024")
    expect(page.get_by_test_id("returns-policy")).to_contain_text("include restricted children")
    page.get_by_role("link", name="Download the SSDA903 return (zip)").click()
    warning = page.get_by_test_id("download-warning")
    expect(warning).to_contain_text("all 2 children in the return, including 1 restricted child")
    expect(warning).to_contain_text("Your download will be recorded")
    assert_accessible(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "returns-download-903.png"), full_page=True)
    assert not ReturnDownload.objects.exists()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Record and download the SSDA903 return (zip)").click()
    data = Path(download_info.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = "".join(archive.read(n).decode() for n in archive.namelist())
    assert "SECRET1" in text and "OPEN1" in text
    download = ReturnDownload.objects.get()
    assert (download.user, download.children, download.restricted) == (officer, 2, 1)
    page.goto(f"{live_server.url}/reporting/returns/?year=2024")
    expect(page.get_by_test_id("return-downloads")).to_contain_text("Pat Owens")
