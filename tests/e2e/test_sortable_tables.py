"""Lists sort by a click on a column heading (MOJ Frontend's sortable table): numbers by their
value (10 after 9, not before 2) and dates by the date (9 May before 10 June), with aria-sort
telling assistive technology which way; the pages stay free of axe violations."""

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from iro.roles import Role
from reviews.models import ReviewStatus
from tests.iro.factories import (
    AllocationFactory,
    CareEpisodeFactory,
    ChildFactory,
    TeamFactory,
    make_user,
)
from tests.reviews.factories import ReviewFactory, held_review

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / ".data" / "screenshots"


def _column(page, testid: str, index: int) -> list[str]:
    return page.locator(f'[data-testid="{testid}"] tbody tr').evaluate_all(
        f"rows => rows.map(r => r.cells[{index}].innerText.trim())"
    )


def test_caseloads_sort_by_number_of_children(page, live_server, sign_in, assert_accessible):
    team = TeamFactory(name="North IRO team")
    manager = make_user(Role.TEAM_MANAGER, username="e2e-tess", first_name="Tess", team=team)
    team.manager = manager
    team.save()
    counts = {"Ann": 2, "Bea": 10, "Cai": 9}
    for name, count in counts.items():
        iro = make_user(
            Role.IRO, username=f"e2e-{name.lower()}", first_name=name, last_name="Iro", team=team
        )
        for _ in range(count):
            kid = ChildFactory()
            CareEpisodeFactory(child=kid, start=date(2025, 1, 6))
            AllocationFactory(child=kid, iro=iro, start=date(2025, 1, 7))

    sign_in(page, manager)
    page.goto(f"{live_server.url}/caseloads/")
    table = page.get_by_test_id("caseloads")
    header = table.locator("th", has_text="Children")
    expect(header).to_have_attribute("aria-sort", "none")
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    assert _column(page, "caseloads", 4) == ["2", "9", "10"]
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert _column(page, "caseloads", 4) == ["10", "9", "2"]
    names = table.locator("th", has_text="IRO")
    names.get_by_role("button").click()
    assert [name.split()[0] for name in _column(page, "caseloads", 0)] == ["Ann", "Bea", "Cai"]
    assert_accessible(page)


def test_a_drill_down_sorts_by_date_and_days_late(page, live_server, sign_in, assert_accessible):
    manager = make_user(Role.TEAM_MANAGER, username="e2e-manager", first_name="Tess")
    chair = make_user(Role.IRO, username="e2e-chair", first_name="Cara")
    start = {"period_start": date(2024, 1, 1)}
    held = [
        ("Zoe", date(2024, 6, 10), date(2024, 6, 12)),  # 2 days late
        ("Yan", date(2024, 5, 9), date(2024, 5, 20)),  # 11 days late
        ("Xia", date(2024, 11, 1), date(2024, 11, 1)),  # on time
    ]
    for first, due, on in held:
        child = ChildFactory(first_name=first, last_name="Test")
        CareEpisodeFactory(child=child, start=date(2024, 1, 1))
        held_review(chair=chair, child=child, held_on=on, due_date=due, **start)
    missed = ChildFactory(first_name="Wes", last_name="Test")
    CareEpisodeFactory(child=missed, start=date(2024, 1, 1))
    ReviewFactory(child=missed, due_date=date(2024, 7, 1), status=ReviewStatus.MISSED, **start)

    sign_in(page, manager)
    page.goto(f"{live_server.url}/reporting/figures/REV-02/2024/")
    table = page.get_by_test_id("drill-table")
    expect(table.locator("tbody tr")).to_have_count(3)
    due = table.locator("th", has_text="Due")
    due.get_by_role("button").click()
    expect(due).to_have_attribute("aria-sort", "ascending")
    assert _column(page, "drill-table", 2) == ["9 May 2024", "10 Jun 2024", "1 Nov 2024"]
    late = table.locator("th", has_text="Days late")
    late.get_by_role("button").click()
    late.get_by_role("button").click()
    expect(late).to_have_attribute("aria-sort", "descending")
    assert _column(page, "drill-table", 4) == ["11", "2", "0"]
    names = [name.split(" (")[0] for name in _column(page, "drill-table", 0)]
    assert names == ["Yan Test", "Zoe Test", "Xia Test"]
    assert_accessible(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "drill-down-sorted.png"), full_page=True)
