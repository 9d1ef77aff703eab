"""A team manager allocates an unallocated child and sees the caseload move."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from iro.models import Allocation, AllocationRequest
from iro.roles import Role
from tests.iro.factories import (
    AllocationFactory,
    CareEpisodeFactory,
    ChildFactory,
    TeamFactory,
    make_user,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def children_count(page, username: str):
    return page.locator(f'tr[data-iro="{username}"] [data-testid="children-count"]')


def test_team_manager_allocates_a_waiting_child_and_the_caseload_moves(
    page, live_server, sign_in, assert_accessible
):
    team = TeamFactory(name="North IRO team")
    manager = make_user(
        Role.TEAM_MANAGER,
        username="e2e-manager",
        first_name="Tess",
        last_name="Thompson",
        team=team,
    )
    team.manager = manager
    team.save()
    alice = make_user(
        Role.IRO, username="e2e-alice", first_name="Alice", last_name="Adeyemi", team=team
    )
    busy = make_user(Role.IRO, username="e2e-bob", first_name="Bob", last_name="Bennett", team=team)
    for _ in range(2):
        kid = ChildFactory()
        CareEpisodeFactory(child=kid, start=date(2025, 1, 6))
        AllocationFactory(child=kid, iro=busy, start=date(2025, 1, 7))
    waiting = ChildFactory(first_name="Maya", last_name="Okafor")
    CareEpisodeFactory(child=waiting, start=timezone.localdate() - timedelta(days=4))
    AllocationRequest.objects.create(
        child=waiting, role="cla", notified_at=timezone.now() - timedelta(hours=90)
    )

    sign_in(page, manager)
    expect(page.get_by_test_id("panel-unallocated").get_by_text("1 overdue")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Caseloads").click()
    expect(children_count(page, "e2e-alice")).to_have_text("0")
    expect(children_count(page, "e2e-bob")).to_have_text("2")
    assert_accessible(page)

    page.get_by_role("link", name="Unallocated").click()
    table = page.get_by_test_id("unallocated")
    expect(table.get_by_text("Overdue")).to_be_visible()
    assert_accessible(page)
    table.get_by_role("link", name="Allocate an IRO to Maya Okafor").click()

    # The suggestion is the IRO with the lowest caseload per FTE: Alice.
    expect(page.get_by_test_id("suggestion")).to_contain_text("Alice Adeyemi")
    assert_accessible(page)
    # Nothing is preselected: pressing Allocate straight away asks for a choice.
    page.get_by_role("button", name="Allocate").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the IRO")
    page.get_by_label("IRO", exact=True).select_option(label="Alice Adeyemi")
    page.get_by_role("button", name="Allocate").click()

    expect(page.get_by_test_id("current-allocations").get_by_text("Alice Adeyemi")).to_be_visible()
    assert_accessible(page)
    assert Allocation.objects.get(child=waiting, end__isnull=True).iro == alice
    assert not AllocationRequest.objects.filter(fulfilled_at__isnull=True).exists()

    page.get_by_role("link", name="Caseloads").click()
    expect(children_count(page, "e2e-alice")).to_have_text("1")
    page.get_by_role("link", name="Unallocated").click()
    expect(page.get_by_text("Every child has an IRO.")).to_be_visible()


def test_child_pages_and_episode_forms_are_accessible(
    page, live_server, sign_in, assert_accessible
):
    team = TeamFactory(name="South IRO team")
    manager = make_user(Role.TEAM_MANAGER, username="e2e-tm", team=team)
    iro = make_user(Role.IRO, username="e2e-iro", first_name="Ira", last_name="Shah", team=team)
    child = ChildFactory(first_name="Leo", last_name="Ward")
    CareEpisodeFactory(child=child, start=date(2025, 1, 6))
    AllocationFactory(child=child, iro=iro, start=date(2025, 1, 7))
    sign_in(page, manager)

    page.get_by_role("link", name="Children").first.click()
    page.get_by_label("Name or child ID").fill("Ward")
    page.get_by_role("button", name="Filter").click()
    assert_accessible(page)
    page.get_by_role("link", name="Leo Ward").click()
    expect(page.get_by_test_id("status-today")).to_have_text("Looked after")
    assert_accessible(page)

    page.get_by_role("link", name="End care").click()
    page.get_by_role("button", name="End care").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/caseloads/{iro.pk}/")
    expect(page.get_by_test_id("iro-caseload").get_by_role("link", name="Leo Ward")).to_be_visible()
    assert_accessible(page)


def test_home_panel_and_caseloads_page_show_the_same_children_per_fte(
    page, live_server, sign_in, assert_accessible
):
    """IRO-01 on the manager's home panel and the caseloads page: one number, with its day."""
    team = TeamFactory(name="East IRO team")
    manager = make_user(Role.TEAM_MANAGER, username="e2e-east", team=team)
    team.manager = manager
    team.save()
    alice = make_user(Role.IRO, username="e2e-ann", first_name="Ann", last_name="Ahmed", team=team)
    for _ in range(3):
        kid = ChildFactory()
        CareEpisodeFactory(child=kid, start=date(2025, 1, 6))
        AllocationFactory(child=kid, iro=alice, start=date(2025, 1, 7))
    sign_in(page, manager)
    panel = page.get_by_test_id("panel-caseloads")
    expect(panel.get_by_test_id("per-fte")).to_have_text("3.0")
    expect(panel).to_contain_text(f"On {timezone.localdate():%-d %B %Y}, East IRO team")
    assert_accessible(page)
    page.get_by_role("link", name="Caseloads").click()
    expect(page.get_by_test_id("caseload-summary").get_by_test_id("per-fte")).to_have_text("3.0")
    expect(page.get_by_test_id("monthly")).to_contain_text("Children per FTE")
    assert_accessible(page)
