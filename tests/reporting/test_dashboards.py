"""Board dashboard, published snapshots, scorecard and the reports home."""

import io
from datetime import date, timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from iro.registry import SyntheticContext
from reporting import caching
from reporting.dashboard_data import board_period, build_board, build_scorecard, scorecard_months
from reporting.figures import REGISTRY, Period
from reporting.hooks import demo_snapshot
from reporting.models import Snapshot
from reporting.reports import BOARD, SCORECARD
from reporting.services import snapshot_correct, snapshot_publish, snapshot_withdraw
from tests.iro.factories import CareEpisodeFactory, ChildFactory
from tests.reviews.factories import held_review

TODAY = timezone.localdate()


def _in_care(n: int, *, start=None):
    kids = []
    for i in range(n):
        child = ChildFactory(first_name=f"Board{i}", last_name="Child")
        CareEpisodeFactory(child=child, start=start or TODAY - timedelta(days=30 + i))
        kids.append(child)
    return kids


def _value(snapshot_or_report, fid):
    data = getattr(snapshot_or_report, "data", snapshot_or_report)
    for section in data["sections"]:
        for entry in section["figures"]:
            if entry["id"] == fid:
                return entry["result"].get("value")
    raise AssertionError(fid)


# --- Board dashboard data -----------------------------------------------------------------------


def test_board_covers_the_year_to_date_beside_the_same_dates_a_year_earlier():
    current, previous = board_period(date(2025, 11, 26))
    assert (current.start, current.end) == (date(2025, 4, 1), date(2025, 11, 26))
    assert (previous.start, previous.end) == (date(2024, 4, 1), date(2024, 11, 26))
    current, previous = board_period(date(2024, 2, 29))
    assert previous.end == date(2023, 2, 28)


@pytest.mark.django_db
def test_board_lists_the_measures_not_yet_registered():
    BOARD.append("ZZZ-99")  # a measure whose figure has not landed
    try:
        report = build_board(TODAY)
    finally:
        BOARD.remove("ZZZ-99")
    shown = [e["id"] for s in report["sections"] for e in s["figures"]]
    assert {"CLA-01", "REV-01"} <= set(shown)
    assert sorted(shown) == sorted(f for f in BOARD if f in REGISTRY)
    assert report["skipped"] == [f for f in BOARD if f not in REGISTRY] + ["ZZZ-99"]


# --- Publishing freezes the figures -------------------------------------------------------------


def test_a_snapshot_is_frozen_while_the_live_figure_moves(team_manager, login):
    _in_care(6)
    snapshot = snapshot_publish(
        kind="dashboard", by=team_manager, as_at=TODAY, suppress_small_numbers=False
    )
    assert _value(snapshot, "CLA-01") == 6
    # A case record that CLA-01 reads changes: another child comes into care.
    _in_care(1, start=TODAY - timedelta(days=2))
    assert _value(build_board(TODAY), "CLA-01") == 7
    snapshot.refresh_from_db()
    assert _value(snapshot, "CLA-01") == 6
    client = login(team_manager)
    page = client.get(reverse("reporting:snapshot", args=[snapshot.pk]))
    cla = page.context["sections"][0]["figures"][0]
    assert cla["tables"][0]["rows"][0]["cells"][0]["value"] == 6
    live = client.get(reverse("reporting:board"), {"suppress": "0"})
    cla = live.context["sections"][0]["figures"][0]
    assert cla["tables"][0]["rows"][0]["cells"][0]["value"] == 7
    assert (snapshot.published_by, snapshot.version) == (team_manager, 1)


def test_a_snapshot_is_never_edited_in_place(team_manager):
    _in_care(5)
    snapshot = snapshot_publish(kind="dashboard", by=team_manager, as_at=TODAY)
    snapshot.title = "Edited"
    with pytest.raises(ValueError):
        snapshot.save()
    with pytest.raises(ValueError):
        Snapshot.objects.filter(pk=snapshot.pk).update(data={})
    with pytest.raises(ValueError):
        snapshot.delete()
    # Not even from SQL: a trigger refuses it.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE reporting_snapshot SET data = '{}' WHERE id = %s", [snapshot.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM reporting_snapshot WHERE id = %s", [snapshot.pk])
    snapshot.refresh_from_db()
    assert snapshot.title == "Corporate Parenting Board dashboard"
    assert _value(snapshot, "CLA-01") == 5


def test_withdraw_hides_from_the_board_and_keeps_history(team_manager, board_member, login):
    _in_care(5)
    snapshot = snapshot_publish(kind="dashboard", by=team_manager, as_at=TODAY)
    snapshot_withdraw(snapshot=snapshot, by=team_manager, reason="Wrong date")
    board = login(board_member)
    assert board.get(reverse("reporting:snapshot", args=[snapshot.pk])).status_code == 404
    assert list(board.get(reverse("reporting:snapshots")).context["snapshots"]) == []
    manager = login(team_manager)
    page = manager.get(reverse("reporting:snapshot", args=[snapshot.pk]))
    assert page.status_code == 200 and "Withdrawn" in page.content.decode()
    assert Snapshot.objects.filter(pk=snapshot.pk, withdrawn=True).exists()


def test_a_correction_is_a_new_version_that_says_what_changed(team_manager, board_member, login):
    _in_care(5)
    first = snapshot_publish(
        kind="dashboard", by=team_manager, as_at=TODAY, commentary={"reviews": "Old text"}
    )
    _in_care(2)
    second = snapshot_correct(
        snapshot=first,
        by=team_manager,
        changes="Two late-recorded admissions added",
        commentary={"reviews": "New text"},
    )
    assert (second.series, second.version, second.supersedes) == (first.series, 2, first)
    assert (_value(first, "CLA-01"), _value(second, "CLA-01")) == (5, 7)
    first.refresh_from_db()
    assert first.commentary == {"reviews": "Old text"}
    listed = list(login(board_member).get(reverse("reporting:snapshots")).context["snapshots"])
    assert listed == [second]
    body = login(board_member).get(reverse("reporting:snapshot", args=[second.pk])).content
    assert b"Two late-recorded admissions added" in body and b"version 2" in body


def test_board_members_see_published_snapshots_newest_first_and_compare(
    team_manager, board_member, login
):
    _in_care(8)
    older = snapshot_publish(
        kind="dashboard",
        by=team_manager,
        as_at=TODAY - timedelta(days=20),
        suppress_small_numbers=False,
    )
    newer = snapshot_publish(
        kind="dashboard", by=team_manager, as_at=TODAY, suppress_small_numbers=False
    )
    client = login(board_member)
    assert list(client.get(reverse("reporting:snapshots")).context["snapshots"]) == [newer, older]
    response = client.get(reverse("reporting:snapshot-compare"), {"a": older.pk, "b": newer.pk})
    row = next(r for r in response.context["rows"] if r["id"] == "CLA-01")
    assert (row["a"], row["b"], row["change"]) == ("8", "8", "0")
    assert (
        client.get(reverse("reporting:snapshot-compare"), {"a": "x", "b": newer.pk}).status_code
        == 400
    )
    home = client.get(reverse("home")).content.decode()
    assert (
        'data-testid="board-dashboard"' in home
        and reverse("reporting:snapshot-xlsx", args=[newer.pk]) in home
    )


def test_the_board_sees_small_numbers_suppressed(team_manager, board_member, login):
    _in_care(5)  # 1 to 5 is withheld (the DfE convention), shown as c
    snapshot_publish(kind="dashboard", by=team_manager, as_at=TODAY)
    response = login(board_member).get(reverse("reporting:board"))
    cla = response.context["sections"][0]["figures"][0]
    assert cla["tables"][0]["rows"][0]["cells"][0]["text"] == "c"
    assert cla["covers"] == f"on {TODAY:%-d %B %Y}"
    assert "Board0" not in response.content.decode()


def test_snapshot_exports_carry_date_and_version(team_manager, board_member, login):
    _in_care(6)
    snapshot = snapshot_publish(
        kind="dashboard", by=team_manager, as_at=TODAY, suppress_small_numbers=False
    )
    client = login(board_member)
    xlsx = client.get(reverse("reporting:snapshot-xlsx", args=[snapshot.pk]))
    assert f"v{snapshot.version}.xlsx" in xlsx["Content-Disposition"]
    about = [
        r[0]
        for r in load_workbook(io.BytesIO(xlsx.content))["Contents"].iter_rows(values_only=True)
    ]
    assert f"Figures as at {TODAY:%-d %B %Y}; version 1" in about
    book = load_workbook(io.BytesIO(xlsx.content))
    values = [c for row in book["Children in care"].iter_rows(values_only=True) for c in row]
    assert 6 in values
    doc = Document(
        io.BytesIO(client.get(reverse("reporting:snapshot-docx", args=[snapshot.pk])).content)
    )
    assert any(f"Figures as at {TODAY:%-d %B %Y}; version 1" in p.text for p in doc.paragraphs)


def test_an_annual_report_can_be_published(head_of_service, board_member, login):
    _in_care(5, start=date(2024, 5, 1))
    snapshot = snapshot_publish(kind="annual", by=head_of_service, year=2024, as_at=TODAY)
    assert snapshot.title == "IRO annual report 2024/25"
    assert (snapshot.period_start, snapshot.period_end) == (date(2024, 4, 1), date(2025, 3, 31))
    assert _value(snapshot, "CLA-01") == 5
    assert (
        login(board_member).get(reverse("reporting:snapshot", args=[snapshot.pk])).status_code
        == 200
    )


# --- Publish form (the form, preview and publish steps: tests/reporting/test_publishing.py) ------


def test_withdraw_needs_a_reason(performance_officer, login):
    _in_care(5)
    snapshot = snapshot_publish(kind="dashboard", by=performance_officer, as_at=TODAY)
    response = login(performance_officer).post(
        reverse("reporting:snapshot-withdraw", args=[snapshot.pk]), {"reason": ""}
    )
    assert response.status_code == 400
    snapshot.refresh_from_db()
    assert snapshot.withdrawn is False


# --- Who may reach what --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["board_member", "iro_allocated", "administrator", "team_manager"]
)
def test_only_publishers_publish_correct_or_withdraw(persona, personas, performance_officer, login):
    """Publishing is the performance officer's job (and the head of service's): team managers
    read the live figures but neither publish, correct nor withdraw."""
    _in_care(5)
    snapshot = snapshot_publish(kind="dashboard", by=performance_officer, as_at=TODAY)
    client = login(personas[persona])
    assert client.get(reverse("reporting:snapshot-publish")).status_code == 403
    assert (
        client.post(reverse("reporting:snapshot-publish"), {"kind": "dashboard"}).status_code == 403
    )
    assert client.get(reverse("reporting:snapshot-correct", args=[snapshot.pk])).status_code == 403
    assert (
        client.post(
            reverse("reporting:snapshot-withdraw", args=[snapshot.pk]), {"reason": "x"}
        ).status_code
        == 403
    )
    assert Snapshot.objects.count() == 1 and not Snapshot.objects.get().withdrawn


@pytest.mark.parametrize("persona", ["board_member", "iro_allocated", "administrator"])
def test_live_scorecard_and_dashboard_are_not_for_others(persona, personas, login):
    client = login(personas[persona])
    for name in ("scorecard", "scorecard-xlsx"):
        assert client.get(reverse(f"reporting:{name}")).status_code == 403
    assert client.post(reverse("reporting:board-refresh")).status_code == 403
    if persona != "board_member":
        assert client.get(reverse("reporting:board")).status_code == 403
        assert client.get(reverse("reporting:snapshots")).status_code == 403


# --- Scorecard -----------------------------------------------------------------------------------


def test_scorecard_has_a_column_per_month_for_13_months(iro_allocated, performance_officer, login):
    kids = _in_care(2, start=date(2024, 1, 5))
    held_review(chair=iro_allocated, child=kids[0], held_on=date(2024, 6, 3))
    held_review(chair=iro_allocated, child=kids[1], held_on=date(2024, 6, 20))
    held_review(chair=iro_allocated, child=kids[0], held_on=date(2024, 12, 2))
    SCORECARD.append("ZZZ-99")  # a measure whose figure has not landed
    try:
        data = build_scorecard(Period.month(2025, 3))
    finally:
        SCORECARD.remove("ZZZ-99")
    assert [m["label"] for m in data["months"]][0] == "2024-03"
    assert len(data["months"]) == 13
    rev = next(r for r in data["rows"] if r["id"] == "REV-01")
    # March 2024 to March 2025: two reviews in June 2024, one in December 2024.
    assert rev["values"] == [0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0]
    cla = next(r for r in data["rows"] if r["id"] == "CLA-01")
    assert cla["values"] == [2] * 13
    assert [r["id"] for r in data["rows"]] == [f for f in SCORECARD if f in REGISTRY]
    assert data["skipped"] == [f for f in SCORECARD if f not in REGISTRY] + ["ZZZ-99"]
    client = login(performance_officer)
    page = client.get(reverse("reporting:scorecard"), {"end": "2025-03"})
    body = page.content.decode()
    assert page.status_code == 200 and 'data-figure="REV-01"' in body
    assert body.count('class="app-chart app-sparkline"') == len(data["rows"])
    assert "Figures as at" in body
    book = load_workbook(
        io.BytesIO(client.get(reverse("reporting:scorecard-xlsx"), {"end": "2025-03"}).content)
    )
    rows = list(book["Scorecard"].iter_rows(values_only=True))
    rev_row = next(r for r in rows if r[0] and str(r[0]).startswith("REV-01"))
    assert list(rev_row[1:14]) == rev["values"]


def test_scorecard_is_cached(performance_officer, login):
    client = login(performance_officer)
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("reporting:scorecard"))
    with CaptureQueriesContext(connection) as second:
        client.get(reverse("reporting:scorecard"))
    assert len(second) < len(first) - 13  # no figure is computed again


def test_reports_home_links_every_report(team_manager, login):
    _in_care(1, start=date(2024, 5, 1))
    body = login(team_manager).get(reverse("reporting:home")).content.decode()
    for url in (
        reverse("reporting:annual", args=[2024]),
        reverse("reporting:scorecard"),
        reverse("reporting:board"),
        reverse("reporting:snapshots"),
        reverse("protection:plan_list") + "?duration=15",
        reverse("protection:plan_list") + "?subsequent=ever",
    ):
        assert f'href="{url}"' in body, url
    # The returns pages answer 403 to a team manager, so the home does not offer them.
    assert "Statutory returns" not in body
    assert reverse("reporting:returns-home") not in body
    home = login(team_manager).get(reverse("home")).content.decode()
    assert reverse("reporting:scorecard") in home


def test_performance_officer_home_shows_reports_and_returns(performance_officer, login):
    _in_care(1, start=date(2024, 5, 1))
    client = login(performance_officer)
    for page in (reverse("reporting:home"), reverse("home")):
        body = client.get(page).content.decode()
        assert 'data-testid="reports-annual"' in body and 'data-testid="reports-returns"' in body
        for url in (
            reverse("reporting:annual", args=[2024]),
            reverse("reporting:scorecard"),
            reverse("reporting:returns-home"),
            reverse("reporting:returns-import"),
            reverse("reporting:returns-annex-a"),
        ):
            assert f'href="{url}"' in body, (page, url)
            assert client.get(url).status_code == 200, url


def test_demo_data_publishes_a_board_snapshot(performance_officer):
    _in_care(5)
    ctx = SyntheticContext(scale="small", params={}, rng=None, today=TODAY, log=lambda m: None)
    demo_snapshot(ctx)
    snapshot = Snapshot.objects.get()
    assert (snapshot.kind, snapshot.published_by, snapshot.as_at) == (
        "dashboard",
        performance_officer,
        TODAY,
    )
    assert snapshot.commentary and _value(snapshot, "CLA-01") == 5


def test_snapshot_list_query_count_is_constant(team_manager, board_member, login):
    _in_care(5)
    snapshot_publish(kind="dashboard", by=team_manager, as_at=TODAY)
    client = login(board_member)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reporting:snapshots"))
    for _ in range(5):
        snapshot_publish(kind="dashboard", by=team_manager, as_at=TODAY)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("reporting:snapshots"))
    assert len(response.context["snapshots"]) == 6
    assert len(many) == len(few)


def test_scorecard_reads_a_monthly_series_when_the_figure_has_one(db, test_figures):
    for day in (date(2024, 4, 3), date(2024, 4, 20), date(2025, 2, 1)):
        CareEpisodeFactory(child=ChildFactory(), start=day)
    from reporting.reports import SCORECARD as ids

    ids.append("TST-01")
    try:
        data = build_scorecard(Period.month(2025, 3))
    finally:
        ids.remove("TST-01")
    row = next(r for r in data["rows"] if r["id"] == "TST-01")
    # March 2024 to March 2025, from the 2023/24 and 2024/25 series.
    assert row["values"] == [0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]
    per_month = [
        REGISTRY["TST-01"].compute(m).value for m in scorecard_months(Period.month(2025, 3))
    ]
    assert row["values"] == per_month


def test_beat_keeps_the_board_and_scorecard_warm(performance_officer, team_manager, login):
    from django.conf import settings

    from config.celery_app import app
    from reporting.caching import WARM_SECONDS
    from reporting.reports import CACHE_SECONDS
    from reporting.tasks import warm_dashboards

    entry = settings.CELERY_BEAT_SCHEDULE["reporting-warm-dashboards"]
    assert entry["task"] in app.tasks
    assert entry["schedule"] == WARM_SECONDS < CACHE_SECONDS
    _in_care(3, start=date(2024, 5, 1))
    client = login(team_manager)
    with CaptureQueriesContext(connection) as cold:
        client.get(reverse("reporting:scorecard"))
    caching.invalidate()
    assert len(warm_dashboards.apply().get()) == 3
    year = Period.containing(timezone.localdate()).previous().start.year
    pages = [reverse("reporting:scorecard"), reverse("reporting:board")]
    for url in [*pages, reverse("reporting:annual", args=[year])]:
        with CaptureQueriesContext(connection) as warm:
            response = client.get(url)
        assert response.status_code == 200
        assert len(warm) < len(cold) - 13, url  # nothing computed on the request


def test_requests_arriving_while_an_entry_is_built_wait_for_it_instead_of_building_again():
    import threading
    import time as clock

    caching.invalidate()
    builds = []

    def build():
        builds.append(threading.get_ident())
        clock.sleep(0.4)
        return {"value": 42}

    results = []
    threads = [
        threading.Thread(target=lambda: results.append(caching.cached(("stampede",), build)))
        for _ in range(5)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(builds) == 1
    assert results == [{"value": 42}] * 5


def test_a_failed_build_lets_the_next_request_build():
    caching.invalidate()

    def broken():
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        caching.cached(("failing",), broken)
    assert caching.cached(("failing",), lambda: {"value": 7}) == {"value": 7}


UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        # A real Redis client pointed at a port where nothing listens.
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


def test_with_the_cache_unreachable_figures_are_worked_out_on_the_request(settings):
    settings.CACHES = UNREACHABLE_REDIS
    builds = []

    def build():
        builds.append(1)
        return {"value": len(builds)}

    assert caching.cached(("down",), build) == {"value": 1}
    assert caching.cached(("down",), build) == {"value": 2}  # nothing kept
    caching.invalidate()  # does not raise


def test_report_pages_answer_while_the_cache_is_unreachable(team_manager, login, settings):
    _in_care(6)
    client = login(team_manager)
    settings.CACHES = UNREACHABLE_REDIS
    response = client.get(reverse("reporting:board"))
    assert response.status_code == 200
    assert _value(response.context["report"], "CLA-01") == 6
    scorecard = client.get(reverse("reporting:scorecard"))
    assert scorecard.status_code == 200
    assert "REV-01" in scorecard.content.decode()
