"""The weekly schedule, the IRO's "My work" panel, and their constant query counts."""

import csv
import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from iro.models import MeetingKind
from iro.registry import MeetingDetail, registry
from iro.roles import Role
from iro.rules import LATE_FLAG
from reviews import selectors
from reviews.panels import AT_RISK, REPORT_NOT_RECEIVED
from tests.iro.factories import AllocationFactory, ChildFactory, MeetingFactory, make_user
from tests.reviews.factories import ReviewFactory, at, booked_review, held_review

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def monday():
    return selectors.week_start(today())


def make_schedule(n: int, iros) -> None:
    """n booked reviews spread over this week and next, over the given IROs."""
    for i in range(n):
        day = monday() + timedelta(days=i % 10 + (i % 10 >= 5) * 2)  # weekdays only
        booked_review(chair=iros[i % len(iros)], starts_at=at(day, 9 + (i // 10) % 8))


@pytest.mark.parametrize(
    "persona", ["iro_allocated", "performance_officer", "board_member", "head_of_service"]
)
def test_only_team_managers_can_see_the_schedule_and_its_csv(persona, request, login):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("reviews:schedule")).status_code == 403
    assert client.get(reverse("reviews:schedule_csv")).status_code == 403


def test_schedule_lists_meetings_by_day_and_iro_with_flags(
    login, team_manager, iro_allocated, iro_other, child
):
    tuesday = monday() + timedelta(days=8)  # next week's Tuesday
    late = booked_review(
        chair=iro_allocated,
        child=child,
        starts_at=at(tuesday, 14),
        due_date=tuesday - timedelta(days=1),
    )
    fine = booked_review(
        chair=iro_other, starts_at=at(tuesday, 10), due_date=tuesday + timedelta(days=20)
    )
    fine.sw_report_received_on = today()
    fine.save()
    conference = MeetingFactory(kind=MeetingKind.ICPC, chair=iro_other, starts_at=at(tuesday, 12))
    cancelled = booked_review(chair=iro_other, starts_at=at(tuesday, 16))
    cancelled.meeting.status = "cancelled"
    cancelled.meeting.save()

    days = selectors.weekly_schedule(today=today())
    assert len(days) == 14
    day = days[8]
    assert day.day == tuesday
    assert [c.chair for c in day.chairs] == sorted(
        [iro_allocated, iro_other], key=lambda u: u.last_name
    )
    rows = {r.meeting.pk: r for c in day.chairs for r in c.rows}
    assert set(rows) == {late.meeting.pk, fine.meeting.pk, conference.pk}
    assert rows[late.meeting.pk].detail.flags == (LATE_FLAG, REPORT_NOT_RECEIVED, AT_RISK)
    assert rows[fine.meeting.pk].detail.flags == ()
    assert rows[conference.pk].detail.label == "Initial child protection conference"

    body = login(team_manager).get(reverse("reviews:schedule")).content.decode()
    assert child.la_child_id in body and AT_RISK in body
    # Printable: the service's stylesheet (no inline style under the CSP) hides the chrome.
    assert (
        'href="/static/css/app.css"' in body and 'class="govuk-button-group app-no-print"' in body
    )
    assert "@media print" in (settings.BASE_DIR / "static" / "css" / "app.css").read_text()


def test_schedule_uses_every_registered_meeting_details_provider(team_manager, iro_other):
    conference = MeetingFactory(
        kind=MeetingKind.ICPC, chair=iro_other, starts_at=at(monday() + timedelta(days=2))
    )

    def conferences(meetings):
        return {
            m.pk: MeetingDetail(label="ICPC, child C1", flags=("Report not received",))
            for m in meetings
            if m.kind == "icpc"
        }

    registry.meeting_details.append(conferences)
    try:
        rows = [
            r for d in selectors.weekly_schedule(today=today()) for c in d.chairs for r in c.rows
        ]
    finally:
        registry.meeting_details.remove(conferences)
    assert [(r.meeting.pk, r.detail.label) for r in rows] == [(conference.pk, "ICPC, child C1")]


def test_csv_export_has_one_row_per_meeting(login, team_manager, iro_allocated, iro_other):
    make_schedule(6, [iro_allocated, iro_other])
    response = login(team_manager).get(reverse("reviews:schedule_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:5] == ["Date", "Start", "End", "IRO", "Meeting"]
    assert len(rows) == 7
    assert {r[3] for r in rows[1:]} == {str(iro_allocated), str(iro_other)}


def test_the_schedule_query_count_does_not_grow_with_meetings(
    login, team_manager, django_assert_max_num_queries
):
    iros = [make_user(Role.IRO, username=f"iro{i}") for i in range(4)]
    client = login(team_manager)
    make_schedule(3, iros)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("reviews:schedule") + "?team=all")
    make_schedule(30, iros)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("reviews:schedule") + "?team=all")
    assert sum(d.count for d in response.context["weeks"][0] + response.context["weeks"][1]) == 33


def test_my_work_lists_unbooked_reviews_by_booking_deadline_this_weeks_meetings_and_overdue_records(
    login, iro_allocated, child
):
    soon = ReviewFactory(child=child, due_date=today() + timedelta(days=20))
    other_child = ChildFactory()
    AllocationFactory(child=other_child, iro=iro_allocated)
    sooner = ReviewFactory(child=other_child, due_date=today() + timedelta(days=10))
    far = ChildFactory()
    AllocationFactory(child=far, iro=iro_allocated)
    ReviewFactory(child=far, due_date=today() + timedelta(days=70))  # beyond 8 weeks
    this_week = booked_review(chair=iro_allocated, starts_at=at(monday() + timedelta(days=4)))
    overdue = held_review(chair=iro_allocated, held_on=today() - timedelta(days=40))
    held_review(
        chair=iro_allocated, held_on=today() - timedelta(days=40),
        manager_informed_on=today() - timedelta(days=39),
        record_completed_on=today() - timedelta(days=38),
        record_distributed_on=today() - timedelta(days=37),
    )  # fmt: skip

    work = selectors.my_work(iro_allocated, today=today(), lead=10)
    assert [row.review for row in work.due] == [sooner, soon]
    assert [row.meeting for row in work.meetings] == [this_week.meeting]
    assert [row.review for row in work.overdue_records] == [overdue]
    assert work.overdue_records[0].overdue == [
        "Manager not informed", "Record not completed", "Record not distributed"
    ]  # fmt: skip

    body = login(iro_allocated).get("/").content.decode()
    assert 'data-testid="my-work"' in body and child.full_name in body


def test_my_work_query_count_does_not_grow_with_rows(
    login, iro_allocated, django_assert_max_num_queries
):
    client = login(iro_allocated)

    def add(n):
        for i in range(n):
            c = ChildFactory()
            AllocationFactory(child=c, iro=iro_allocated)
            ReviewFactory(child=c, due_date=today() + timedelta(days=5 + i))
            held_review(chair=iro_allocated, held_on=today() - timedelta(days=30 + i))
        for i in range(min(n, 5)):
            booked_review(
                chair=iro_allocated, starts_at=at(monday() + timedelta(days=i), 8 + n % 3)
            )

    add(3)
    with django_assert_max_num_queries(25) as few:
        client.get("/")
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/")
    assert response.content.decode().count("Manager not informed") == 23


def test_team_managers_home_links_to_the_schedule(login, team_manager):
    body = login(team_manager).get("/").content.decode()
    assert reverse("reviews:schedule") in body


def test_schedule_lists_reviews_not_booked_past_the_booking_target_with_their_iro(
    login, team_manager, iro_allocated, child
):
    late = ReviewFactory(child=child, due_date=today() + timedelta(days=3))
    ReviewFactory(due_date=today() + timedelta(days=60))  # still time to book
    response = login(team_manager).get(reverse("reviews:schedule"))
    assert [r.pk for r in response.context["unbooked"]] == [late.pk]
    assert response.context["unbooked"][0].iro_last_name == iro_allocated.last_name
    assert "1 review not booked" in login(team_manager).get("/").content.decode()


def test_the_chase_list_query_count_does_not_grow_with_rows(
    login, team_manager, django_assert_max_num_queries
):
    client = login(team_manager)

    def add(n):
        for i in range(n):
            c = ChildFactory()
            AllocationFactory(child=c)
            ReviewFactory(child=c, due_date=today() + timedelta(days=i % 5))

    add(3)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("reviews:schedule") + "?team=all")
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("reviews:schedule") + "?team=all")
    assert response.context["unbooked_count"] == 23


def test_schedule_shows_the_managers_team_unless_another_or_all_is_chosen(
    login, team_manager, iro_allocated
):
    from tests.iro.factories import TeamFactory, make_user

    other_team = TeamFactory(name="South IRO team")
    outsider = make_user(
        Role.IRO, username="olive", first_name="Olive", last_name="Osei", team=other_team
    )
    tuesday = monday() + timedelta(days=8)
    ours = booked_review(chair=iro_allocated, starts_at=at(tuesday, 10))
    theirs = booked_review(chair=outsider, starts_at=at(tuesday, 10))
    client = login(team_manager)

    def meeting_ids(query=""):
        response = client.get(reverse("reviews:schedule") + query)
        return {
            r.meeting.pk
            for w in response.context["weeks"]
            for d in w
            for c in d.chairs
            for r in c.rows
        }

    assert meeting_ids() == {ours.meeting.pk}
    assert meeting_ids(f"?team={other_team.pk}") == {theirs.meeting.pk}
    assert meeting_ids("?team=all") == {ours.meeting.pk, theirs.meeting.pk}
    csv_rows = client.get(reverse("reviews:schedule_csv") + "?team=all").content.decode()
    assert csv_rows.count("\n") == 3  # header and two meetings
    assert client.get(reverse("reviews:schedule") + "?team=999999").status_code == 404


def test_schedule_rows_escape_what_people_typed(login, team_manager, iro_allocated):
    """The rows are built in Python (reviews_tags.schedule_rows): every value is escaped."""
    child = ChildFactory(first_name="<script>alert(1)</script>", last_name="O'Brien & Sons")
    AllocationFactory(child=child, iro=iro_allocated)
    tuesday = monday() + timedelta(days=8)
    review = booked_review(chair=iro_allocated, child=child, starts_at=at(tuesday, 14))

    body = login(team_manager).get(reverse("reviews:schedule") + "?team=all").content.decode()

    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "O&#x27;Brien &amp; Sons" in body
    assert f'href="{reverse("reviews:detail", args=[review.pk])}"' in body
    assert body.count('<tr class="govuk-table__row"><th scope="rowgroup" rowspan="1"') >= 1


def test_past_target_count_is_the_same_on_the_home_page_and_the_schedule(
    login, team_manager, iro_allocated
):
    """One definition of "not booked, past the booking target" (selectors.unbooked_past_target)
    for one team: the manager's home panel and the schedule page they open show the same count.
    Two overdue reviews are in the manager's team, two in another team's: the home page had
    counted all four while the schedule showed the team's two."""
    from datetime import date

    import time_machine

    from iro.models import ServiceSettings
    from reviews.rules import latest_due_past_booking_target
    from tests.iro.factories import TeamFactory

    with time_machine.travel(date(2026, 3, 18), tick=False):
        lead = ServiceSettings.load().booking_lead_working_days
        cutoff = latest_due_past_booking_target(date(2026, 3, 18), lead)
        elsewhere = make_user(Role.IRO, username="olga", team=TeamFactory(name="North"))
        for iro in (iro_allocated, iro_allocated, elsewhere, elsewhere):
            child = ChildFactory()
            AllocationFactory(child=child, iro=iro)
            ReviewFactory(child=child, due_date=cutoff)
        # The day after the cutoff still has time to book: counted nowhere.
        other = ChildFactory()
        AllocationFactory(child=other, iro=iro_allocated)
        ReviewFactory(child=other, due_date=cutoff + timedelta(days=1))
        client = login(team_manager)
        home = client.get("/").content.decode()
        page = client.get(reverse("reviews:schedule"))
        assert page.context["unbooked_count"] == 2
        assert "2 reviews not booked" in home
        assert f"?team={iro_allocated.team.pk}" in home  # links to the same team's schedule
        everyone = client.get(reverse("reviews:schedule") + "?team=all")
        assert everyone.context["unbooked_count"] == 4
