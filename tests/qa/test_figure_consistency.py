"""A figure shown on more than one page gives the same value on each, for the same day.

Children per FTE IRO (IRO-01) on the team manager's home panel, the caseloads page and its
monthly table, the annual report, the monthly scorecard, the board dashboard and the API; the
spread of caseloads (IRO-02) on the caseloads page's monthly table, the annual report and the
scorecard; children looked after on the day (CLA-01) on the caseloads page, the annual report,
the scorecard and the board dashboard; and the reviews not booked past the booking target on the
home panel and the weekly schedule. Time is frozen on 31 March 2026, the last day of the
2025/26 reporting year, so "today", "31 March", "the March month end" and "the year to date"
are the same day.
"""

import re
from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from iro.models import ServiceSettings, StaffRecord
from iro.roles import Role
from reporting.annual_data import report_json
from reporting.dashboard_data import build_board, build_scorecard
from reporting.figures import Period
from reviews.rules import latest_due_past_booking_target
from tests.iro.factories import AllocationFactory, CareEpisodeFactory, ChildFactory, make_user
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 31)


def _employ(user, start=date(2020, 1, 6), end=None):
    StaffRecord.objects.create(
        user=user, valid_from=start, valid_to=end, fte=user.fte, contract="permanent"
    )


@pytest.fixture
def service(team, team_manager, iro_allocated, iro_other):
    """Alice (1.0 FTE) holds 3 looked-after children, Bob (0.5 FTE) 1; Lena left on 30 January
    2026 and one child is still allocated to her in old data (counted apart everywhere). One
    review of Alice's child is past its booking target."""
    iro_other.fte = Decimal("0.50")
    iro_other.save()
    lena = make_user(Role.IRO, username="lena", team=team)
    _employ(iro_allocated)
    _employ(iro_other)
    _employ(lena, end=date(2026, 1, 30))
    children = []
    for iro, n in ((iro_allocated, 3), (iro_other, 1), (lena, 1)):
        for _ in range(n):
            child = ChildFactory()
            CareEpisodeFactory(child=child, start=date(2025, 1, 6))
            AllocationFactory(child=child, iro=iro, start=date(2025, 1, 7))
            children.append(child)
    lead = ServiceSettings.load().booking_lead_working_days
    ReviewFactory(child=children[0], due_date=latest_due_past_booking_target(DAY, lead))
    return children


def _text(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>([^<]*)<', html)
    assert match, testid
    return match.group(1).strip()


@time_machine.travel(timezone.make_aware(datetime(2026, 3, 31, 12, 0)), tick=False)
def test_every_page_gives_the_same_caseload_and_in_care_figures(service, login, team_manager):
    client = login(team_manager)
    home = client.get("/").content.decode()
    caseloads = client.get(reverse("caseloads:list"))
    page = caseloads.content.decode()
    summary = caseloads.context["summary"]
    month_row = {m.on: m for m in caseloads.context["months"]}[DAY]
    annual = report_json(Period.year(2025))["figures"]
    scorecard = {r["id"]: r["values"][-1] for r in build_scorecard(Period.month(2026, 3))["rows"]}
    board_figures = [f for section in build_board(DAY)["sections"] for f in section["figures"]]
    board = {f["id"]: f["result"].get("value") for f in board_figures}
    titles = {f["id"]: f["title"] for f in board_figures}
    assert titles["IRO-01"] == "Looked-after children per FTE IRO on 31 March 2026"
    api = {r["name"]: r for r in client.get("/api/caseloads/").json()}

    # IRO-01: (3 + 1) children / (1.0 + 0.5) FTE = 2.7; Lena's child is in neither part.
    assert summary.per_fte == 2.7 and summary.not_in_post == 1
    per_fte = {
        "home panel": float(_text(home, "per-fte")),
        "caseloads page": float(_text(page, "per-fte")),
        "caseloads monthly table": month_row.per_fte,
        "annual report": annual["IRO-01"]["value"],
        "scorecard": scorecard["IRO-01"],
        "board dashboard": board["IRO-01"],
    }
    assert set(per_fte.values()) == {2.7}, per_fte
    # IRO-02: each IRO's own ratio, 3.0 and 2.0: mean 2.5, on every page that shows it.
    mean = {
        "caseloads page": summary.mean,
        "caseloads monthly table": month_row.mean,
        "annual report (March)": annual["IRO-02"]["months"]["2026-03"],
        "scorecard": scorecard["IRO-02"],
    }
    assert set(mean.values()) == {2.5}, mean
    # The API's per-IRO rows agree with the caseloads page's.
    rows = {r.get_full_name(): r.per_fte for r in caseloads.context["rows"]}
    assert {name: api[name]["per_fte"] for name in rows} == rows
    assert rows["Alice Adeyemi"] == 3.0 and rows["Bob Bennett"] == 2.0
    # CLA-01: 5 children looked after on the day, counted alike everywhere.
    in_care = {
        "caseloads monthly table": month_row.in_care,
        "annual report": annual["CLA-01"]["value"],
        "scorecard": scorecard["CLA-01"],
        "board dashboard": board["CLA-01"],
        "IRO-02 table": annual["IRO-02"]["table"][-1][-1],
    }
    assert set(in_care.values()) == {5}, in_care


@time_machine.travel(timezone.make_aware(datetime(2026, 3, 31, 12, 0)), tick=False)
def test_the_past_target_count_is_the_same_on_the_home_panel_and_the_schedule(
    service, login, team_manager
):
    client = login(team_manager)
    home = client.get("/").content.decode()
    schedule = client.get(reverse("reviews:schedule"))
    assert schedule.context["unbooked_count"] == 1
    assert _text(home, "unbooked-count") == "1 review not booked"
    assert _text(schedule.content.decode(), "unbooked-count") == "1"
