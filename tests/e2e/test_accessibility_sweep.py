"""Every role's pages as its users reach them: the primary navigation, the first record behind it,
and the forms from there, both submitted blank (the error state) and filled in. No page is a server
error and axe finds no violation on any of them."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from iro.models import AllocationRole
from iro.notifications.models import Notification
from iro.roles import Role
from reporting.services import snapshot_publish
from reviews.services import reviews_recompute
from tests.escalations.factories import ConcernFactory, raise_irp
from tests.iro.factories import AllocationFactory, CareEpisodeFactory, ChildFactory, make_user
from tests.protection.factories import plan_from_icpc
from tests.reviews.factories import booked_review

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SERVER_ERROR = "Sorry, there is a problem with the service"


class Walker:
    """One browser page for one role: each step checks for a server error and runs axe."""

    def __init__(self, page, live_server, assert_accessible):
        self.page = page
        self.base = live_server.url
        self.assert_accessible = assert_accessible
        self.seen: list[str] = []

    def check(self):
        expect(self.page.locator("h1").first).not_to_have_text(SERVER_ERROR)
        self.assert_accessible(self.page)
        self.seen.append(self.page.url.removeprefix(self.base))

    def visit(self, path: str):
        response = self.page.goto(self.base + path)
        assert response.status == 200, f"{path} answered {response.status}"
        self.check()

    def nav(self) -> list[str]:
        """Visit every page of the primary navigation; return their labels."""
        navigation = self.page.get_by_role("navigation", name="Primary navigation")
        items = [
            (link.inner_text().strip(), link.get_attribute("href"))
            for link in navigation.get_by_role("link").all()
        ]
        for _label, href in items:
            if href.startswith("/admin/"):
                # Django's own admin: it answers, but is not built on the GOV.UK templates.
                response = self.page.goto(self.base + href)
                assert response.status == 200, f"{href} answered {response.status}"
                assert "/admin/login/" not in self.page.url
                continue
            self.visit(href)
        return [label for label, _href in items]

    def first_link(self, path: str, within: str = "main table"):
        """From `path`, open the first link in its first table (a child, review, plan...)."""
        self.visit(path)
        self.page.locator(within).locator("a").first.click()
        self.page.wait_for_load_state("domcontentloaded")
        self.check()

    def submit(self, button: str, *, expect_error: bool):
        form = self.page.locator("main form[method=post]").last
        form.get_by_role("button", name=button).click()
        self.page.wait_for_load_state("domcontentloaded")
        summary = self.page.locator(".govuk-error-summary")
        if expect_error:
            expect(summary).to_be_visible()
        else:
            expect(summary).to_have_count(0)
        self.check()

    def blank(self, path: str, button: str):
        """A form page, then the same form submitted blank: the error summary shows."""
        self.visit(path)
        self.submit(button, expect_error=True)


def _world():
    today = timezone.localdate()
    people = {
        "iro": make_user(Role.IRO, username="sweep-iro", first_name="Ivy", last_name="Okafor"),
        "manager": make_user(Role.TEAM_MANAGER, username="sweep-tm", first_name="Tom"),
        "head": make_user(
            Role.HEAD_OF_SERVICE, username="sweep-hos", responder_level="head_of_service"
        ),
        "responder": make_user(
            Role.ESCALATION_RESPONDER, username="sweep-swtm", responder_level="sw_team_manager"
        ),
        "performance": make_user(Role.PERFORMANCE_OFFICER, username="sweep-po"),
        "board": make_user(Role.BOARD_MEMBER, username="sweep-board"),
        # As the demo data makes it: the Django admin also asks for staff status.
        "admin": make_user(Role.ADMINISTRATOR, username="sweep-admin", is_staff=True),
        "governance": make_user(Role.INFORMATION_GOVERNANCE, username="sweep-ig"),
    }
    iro = people["iro"]
    looked_after = ChildFactory(first_name="Rowan", last_name="Ellis", la_child_id="C880001")
    CareEpisodeFactory(child=looked_after, start=today - timedelta(days=2))
    AllocationFactory(child=looked_after, iro=iro, start=today - timedelta(days=2))
    review = reviews_recompute(child=looked_after)
    protected = ChildFactory(first_name="Sam", last_name="Hale", la_child_id="C880002")
    AllocationFactory(child=protected, iro=iro, role=AllocationRole.CP, start=date(2025, 4, 10))
    plan = plan_from_icpc(protected, iro)
    rcpc = plan.child.conferences.get(kind="rcpc")
    waiting = ChildFactory(first_name="Noor", last_name="Ali", la_child_id="C880003")
    concern = ConcernFactory(child=looked_after, raised_by=iro)
    irp = raise_irp(iro=iro, children=[looked_after], responder=people["head"], order=2)
    irp_stage_one = raise_irp(iro=iro, children=[protected], responder=people["responder"])
    # The board reads the latest published snapshot; the IRO has a reminder in the inbox.
    snapshot = snapshot_publish(kind="dashboard", by=people["head"])
    Notification.objects.create(
        recipient=iro,
        kind="review_booking_soon",
        object_type="reviews.review",
        object_id=review.pk,
        title="CLA review to book",
        url=reverse("reviews:detail", args=[review.pk]),
    )
    return people, {
        "snapshot": snapshot,
        "looked_after": looked_after,
        "review": review,
        "protected": protected,
        "plan": plan,
        "rcpc": rcpc,
        "waiting": waiting,
        "concern": concern,
        "irp": irp,
        "irp_stage_one": irp_stage_one,
    }


def test_every_role_s_pages_and_forms_pass_axe_without_server_errors(
    browser, live_server, sign_in, assert_accessible
):
    people, r = _world()
    child, review = r["looked_after"], r["review"]

    def walker(role: str) -> Walker:
        page = browser.new_context().new_page()
        sign_in(page, people[role])
        walk = Walker(page, live_server, assert_accessible)
        walk.check()  # the home page
        return walk

    # IRO: my work, children, reviews, conferences, escalations, and the forms behind them.
    iro = walker("iro")
    assert iro.nav() == [
        "Home",
        "Children",
        "My reviews",
        "My conferences",
        "Escalations",
        "Feedback",
    ]
    iro.visit(reverse("feedback:answers"))
    iro.first_link(reverse("children:list"))
    iro.first_link(reverse("reviews:list"))
    iro.first_link(reverse("protection:my_conferences"))
    iro.blank(reverse("reviews:book", args=[review.pk]), "Book review")
    today = timezone.localdate()
    iro.page.fill("#id_meeting_date_0", str(today.day))
    iro.page.fill("#id_meeting_date_1", str(today.month))
    iro.page.fill("#id_meeting_date_2", str(today.year))
    iro.page.fill("#id_start_time", "09:30")
    iro.page.get_by_label("School").check()
    iro.submit("Book review", expect_error=False)
    # The outcome form is offered once a meeting has started: one that began half an hour ago.
    started_child = ChildFactory(first_name="Ash", last_name="Reid", la_child_id="C880004")
    AllocationFactory(child=started_child, iro=people["iro"])
    started = booked_review(
        chair=people["iro"],
        child=started_child,
        starts_at=timezone.now() - timedelta(minutes=30),
    )
    iro.blank(reverse("reviews:outcome", args=[started.pk]), "Record outcome")
    iro.visit(reverse("reviews:preparation", args=[review.pk]))
    iro.submit("Save", expect_error=False)  # every field is optional
    for name, button in [
        ("reviews:contact_add", "Record contact"),
        ("reviews:midway_add", "Record midway review"),
        ("reviews:monitoring_add", "Record monitoring check"),
    ]:
        iro.blank(reverse(name, args=[child.pk]), button)
    iro.visit(reverse("protection:plan_detail", args=[r["plan"].pk]))
    iro.blank(reverse("protection:plan_end", args=[r["plan"].pk]), "Save")
    iro.blank(reverse("protection:conference_book", args=[r["rcpc"].pk]), "Save")
    iro.blank(
        reverse("protection:strategy_discussion_add", args=[r["protected"].pk]),
        "Save",
    )
    iro.blank(reverse("escalations:concern_new"), "Save concern")
    iro.page.select_option("#id_child", str(child.pk))
    iro.page.get_by_label("Drift and delay").check()
    iro.page.fill("#id_description", "Permanence planning has stalled")
    iro.page.fill("#id_raised_with", "Team manager")
    iro.submit("Save concern", expect_error=False)
    iro.visit(reverse("escalations:concern", args=[r["concern"].pk]))
    iro.blank(reverse("escalations:new"), "Raise IRP")
    iro.visit(reverse("escalations:detail", args=[r["irp"].pk]))
    iro.visit(reverse("notifications:inbox"))
    iro.visit(reverse("notifications:preferences"))
    iro.submit("Save email choices", expect_error=False)
    iro.blank(reverse("letters:profile_edit"), "Save my profile")

    # Team manager: schedule, caseloads, unallocated, CP plans, escalations; allocate and care.
    manager = walker("manager")
    assert manager.nav() == [
        "Home",
        "Children",
        "Schedule",
        "Caseloads",
        "Unallocated",
        "CP plans",
        "Escalations",
        "Feedback",
        "Reports",
    ]
    manager.visit(reverse("feedback:answers"))
    manager.visit(reverse("reporting:board"))
    last_year = today.year - 2 if today.month < 4 else today.year - 1
    manager.visit(reverse("reporting:annual", args=[last_year]))
    manager.visit(reverse("reporting:scorecard"))
    manager.visit(reverse("reporting:snapshots"))
    manager.visit(reverse("reporting:snapshot", args=[r["snapshot"].pk]))
    manager.visit(reverse("notifications:inbox"))
    manager.first_link(reverse("caseloads:list"))
    manager.first_link(reverse("protection:plan_list"))
    manager.first_link(reverse("escalations:all"))
    manager.visit(reverse("children:detail", args=[child.pk]))
    manager.first_link(reverse("letters:team_profiles"))
    manager.blank(reverse("children:create"), "Save child")
    manager.blank(reverse("children:care_start", args=[r["waiting"].pk]), "Start care")
    manager.blank(reverse("children:care_end", args=[child.pk]), "End care")
    # The IRO comes suggested (the child's CP chair): clear it to see the error state.
    manager.visit(reverse("children:allocate", args=[r["protected"].pk]))
    manager.page.select_option("#id_iro", "")
    manager.submit("Allocate", expect_error=True)
    manager.page.select_option("#id_iro", str(people["iro"].pk))
    manager.submit("Allocate", expect_error=False)

    # Head of service: the queue and a response.
    head = walker("head")
    assert head.nav() == ["Home", "Children", "Escalations", "Reports"]
    head.first_link(reverse("escalations:queue"))
    head.blank(reverse("escalations:respond_page", args=[r["irp"].pk]), "Send response")
    head.visit(reverse("reporting:board"))
    head.visit(reverse("reporting:annual-commentary", args=[last_year, "reviews"]))
    head.visit(reverse("notifications:inbox"))

    # Escalation responder (a social work team manager): the queue, a response, the child.
    responder = walker("responder")
    assert responder.nav() == ["Home", "Children", "Escalations"]
    responder.first_link(reverse("escalations:queue"))
    responder.blank(
        reverse("escalations:respond_page", args=[r["irp_stage_one"].pk]), "Send response"
    )
    responder.first_link(reverse("children:list"))
    responder.visit(reverse("escalations:detail", args=[r["irp_stage_one"].pk]))
    responder.visit(reverse("notifications:inbox"))

    # Performance officer, board member, administrator.
    performance = walker("performance")
    assert performance.nav() == [
        "Home",
        "Children",
        "CP plans",
        "Reports",
        "Returns",
        "Case system data",
    ]
    performance.visit(reverse("ssd:runs"))
    performance.visit(reverse("reporting:scorecard"))
    performance.visit(reverse("reporting:snapshot-publish"))
    performance.visit(reverse("reporting:annual-index"))
    performance.first_link(reverse("children:list"))
    performance.first_link(reverse("protection:plan_list"))
    performance.visit(reverse("reporting:returns-903-check", args=[2024]))
    performance.blank(reverse("reporting:returns-import"), "Upload and import")
    performance.visit(reverse("reporting:annual", args=[last_year]))
    performance.visit(reverse("notifications:inbox"))
    board = walker("board")
    assert board.nav() == ["Home", "Reports"]
    board.visit(reverse("reporting:snapshots"))
    board.visit(reverse("reporting:board"))
    board.visit(reverse("reporting:snapshot", args=[r["snapshot"].pk]))
    board.visit(reverse("notifications:inbox"))
    board.visit(reverse("notifications:preferences"))
    admin = walker("admin")
    assert admin.nav() == ["Home", "Case system data", "Administration"]
    admin.visit(reverse("ssd:runs"))
    admin.visit(reverse("notifications:inbox"))
    governance = walker("governance")
    assert governance.nav() == ["Home", "Access log"]
    governance.visit(reverse("access_log") + f"?user={people['iro'].username}")

    assert len(iro.seen) > 25 and len(manager.seen) > 15
