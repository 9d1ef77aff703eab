"""Pages: what each role sees and does, bad input kept on the form, exports, query counts."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from iro.models import AccessLog, MeetingStatus
from protection.models import Conference, ConferenceKind, ConferenceStatus, ProtectionPlan
from tests.iro.factories import AllocationFactory, ChildFactory, SiblingGroupFactory
from tests.protection.factories import (
    ProtectionPlanFactory,
    book,
    icpc_due_for,
    plan_from_icpc,
)

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: date) -> dict:
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


def test_an_iro_records_a_strategy_discussion_and_the_icpc_becomes_due(login, iro_allocated, child):
    response = login(iro_allocated).post(
        reverse("protection:strategy_discussion_add", args=[child.pk]),
        {
            **_date("held_on", date(2025, 4, 10)),
            "s47_started": "yes",
            **_date("s47_started_on", date(2025, 4, 10)),
        },
    )
    assert response.status_code == 302
    icpc = Conference.objects.get(child=child)
    assert icpc.due == date(2025, 5, 6)


def test_bad_input_is_shown_with_an_error_summary_and_kept(login, iro_allocated, child):
    response = login(iro_allocated).post(
        reverse("protection:strategy_discussion_add", args=[child.pk]),
        {**_date("held_on", date(2025, 4, 10)), "s47_started": "yes", "notes": "Police present"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Enter the date section 47 enquiries started." in body
    assert "Police present" in body
    assert Conference.objects.count() == 0


def test_an_iro_books_and_records_an_icpc_that_starts_a_plan(login, iro_allocated, child):
    icpc = icpc_due_for(child)
    client = login(iro_allocated)
    response = client.post(
        reverse("protection:conference_book", args=[icpc.pk]),
        {
            "chair": iro_allocated.pk,
            **_date("day", date(2025, 5, 1)),
            "start_time": "10:00",
            "venue_type": "office",
        },
    )
    assert response.status_code == 302, response.content.decode()
    response = client.post(
        reverse("protection:conference_outcome", args=[icpc.pk]),
        {
            **_date("held_on", date(2025, 5, 1)),
            "outcome": "cp_plan",
            "category": "NEG",
            "parents_attended": "yes",
            "child_attended": "no",
            "professionals_attended": "6",
            "reports_shared_in_advance": "yes",
            "decisions": "Plan",
        },
    )
    assert response.status_code == 302
    icpc.refresh_from_db()
    assert icpc.parents_attended is True and icpc.child_attended is False
    assert icpc.professionals_attended == 6
    plan = ProtectionPlan.objects.get(child=child)
    page = client.get(reverse("protection:plan_detail", args=[plan.pk])).content.decode()
    assert "1 August 2025" in page  # first review conference due


def test_a_plan_outcome_without_a_category_is_refused_on_the_form(login, iro_allocated, child):
    icpc = icpc_due_for(child)
    book(icpc, iro_allocated, date(2025, 5, 1))
    response = login(iro_allocated).post(
        reverse("protection:conference_outcome", args=[icpc.pk]),
        {**_date("held_on", date(2025, 5, 1)), "outcome": "cp_plan", "decisions": "Keep this text"},
    )
    assert response.status_code == 400
    assert "Choose the category of abuse for the plan." in response.content.decode()
    assert "Keep this text" in response.content.decode()
    assert not ProtectionPlan.objects.exists()


def test_booking_siblings_together_puts_them_on_one_meeting(login, iro_allocated):
    group = SiblingGroupFactory()
    older, younger = ChildFactory(sibling_group=group), ChildFactory(sibling_group=group)
    for sibling in (older, younger):
        AllocationFactory(child=sibling, iro=iro_allocated)
    first, second = icpc_due_for(older), icpc_due_for(younger)
    response = login(iro_allocated).post(
        reverse("protection:conference_book", args=[first.pk]),
        {
            "chair": iro_allocated.pk,
            **_date("day", date(2025, 5, 1)),
            "start_time": "10:00",
            "venue_type": "office",
            "siblings": [second.pk],
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.meeting_id == second.meeting_id is not None


def test_rescheduling_without_a_head_of_service_is_refused(
    login, iro_allocated, child, head_of_service
):
    icpc = icpc_due_for(child)
    book(icpc, iro_allocated, date(2025, 4, 29))
    client = login(iro_allocated)
    url = reverse("protection:conference_reschedule", args=[icpc.pk])
    data = {**_date("day", date(2025, 5, 2)), "start_time": "11:00", "reason": "Chair unwell"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Choose the head of service who agreed the change" in response.content.decode()
    response = client.post(url, {**data, "agreed_by": head_of_service.pk})
    assert response.status_code == 302
    icpc.refresh_from_db()
    assert icpc.meeting.starts_at.date() == date(2025, 5, 2)


def test_ending_a_plan_from_its_page_cancels_the_review(login, iro_allocated, child):
    plan = plan_from_icpc(child, iro_allocated)
    response = login(iro_allocated).post(
        reverse("protection:plan_end", args=[plan.pk]),
        {**_date("end", date(2025, 6, 2)), "reason": "moved"},
    )
    assert response.status_code == 302
    assert Conference.objects.get(kind=ConferenceKind.RCPC).status == ConferenceStatus.CANCELLED


def test_a_core_group_is_recorded_from_the_plan_page(login, iro_allocated, child):
    plan = plan_from_icpc(child, iro_allocated)
    response = login(iro_allocated).post(
        reverse("protection:core_group_add", args=[plan.pk]), {**_date("held_on", date(2025, 5, 9))}
    )
    assert response.status_code == 302
    assert plan.core_groups.get().held_on == date(2025, 5, 9)


def test_my_conferences_lists_the_iros_open_conferences(login, iro_allocated, iro_other, child):
    plan_from_icpc(child, iro_allocated)
    other_child = ChildFactory()
    AllocationFactory(child=other_child, iro=iro_other)
    icpc_due_for(other_child)
    page = login(iro_allocated).get(reverse("protection:my_conferences")).content.decode()
    assert "1 conference to hold" in page
    assert child.full_name in page and other_child.full_name not in page


def test_the_iro_home_page_has_a_conferences_panel(login, iro_allocated, child):
    plan_from_icpc(child, iro_allocated)
    page = login(iro_allocated).get("/").content.decode()
    assert "RCPC for Jamie Smith" in page


def test_the_plan_list_exports_csv_and_xlsx(login, team_manager, iro_allocated, child):
    plan_from_icpc(child, iro_allocated, held_on=date(2025, 5, 1))
    client = login(team_manager)
    url = reverse("protection:plan_list")
    response = client.get(url, {"on": "2025-06-30", "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "LA child ID"
    assert rows[1][:4] == ["C900001", "Jamie Smith", "2025-05-01", "1"]
    response = client.get(url, {"on": "2025-06-30", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=3, column=1).value == "C900001"
    assert sheet.cell(row=3, column=4).value == 1


def test_the_plan_list_is_printable_and_filters_by_duration(login, team_manager):
    ProtectionPlanFactory(start=date(2024, 1, 15))
    ProtectionPlanFactory(start=date(2025, 5, 1))
    page = login(team_manager).get(
        reverse("protection:plan_list"), {"on": "2025-06-30", "duration": "15"}
    )
    body = page.content.decode()
    # Printable: the service's stylesheet (no inline style under the CSP) hides the chrome.
    assert 'href="/static/css/app.css"' in body and 'class="app-no-print"' in body
    assert "1 plan<" in body


def test_viewing_a_conference_is_written_to_the_access_log(login, iro_allocated, child):
    icpc = icpc_due_for(child)
    login(iro_allocated).get(reverse("protection:conference_detail", args=[icpc.pk]))
    assert AccessLog.objects.filter(user=iro_allocated, child=child).count() == 1


def test_the_weekly_schedule_gets_conference_details(iro_allocated, child):
    from protection.hooks import meeting_details

    icpc = icpc_due_for(child)
    meeting = book(icpc, iro_allocated, date(2025, 4, 29))
    details = meeting_details([meeting])
    assert details[meeting.pk].label == f"ICPC: Jamie Smith ({child.la_child_id})"
    assert details[meeting.pk].due == date(2025, 5, 6)
    assert details[meeting.pk].url == reverse("protection:conference_detail", args=[icpc.pk])
    assert meeting.status == MeetingStatus.BOOKED


def _plans(n, chair):
    for _ in range(n):
        child = ChildFactory()
        AllocationFactory(child=child, iro=chair)
        ProtectionPlanFactory(child=child, chair=chair, start=date(2024, 1, 15))


@pytest.mark.parametrize("rows", [3, 20])
def test_the_plan_list_runs_a_constant_number_of_queries(
    login, team_manager, iro_allocated, rows, django_assert_max_num_queries
):
    _plans(rows, iro_allocated)
    client = login(team_manager)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("protection:plan_list"), {"on": "2025-06-30"})
    assert f"{rows} plans" in response.content.decode()


@pytest.mark.parametrize("rows", [3, 20])
def test_my_conferences_runs_a_constant_number_of_queries(
    login, iro_allocated, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        child = ChildFactory()
        AllocationFactory(child=child, iro=iro_allocated, role="cp")
        icpc_due_for(child)
    client = login(iro_allocated)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("protection:my_conferences"))
    assert f"{rows} conferences to hold" in response.content.decode()


@pytest.mark.parametrize("rows", [3, 20])
def test_the_schedule_details_take_one_query(iro_allocated, rows, django_assert_num_queries):
    from datetime import timedelta

    from protection.hooks import meeting_details

    meetings = []
    for n in range(rows):
        child = ChildFactory()
        meetings.append(
            book(
                icpc_due_for(child),
                iro_allocated,
                date(2025, 4, 14) + timedelta(days=n % 10),
                hour=8 + n // 10 * 2,
            )
        )
    with django_assert_num_queries(1):
        details = meeting_details(meetings)
    assert len(details) == rows


def test_the_child_protection_page_shows_dual_status_and_history(login, iro_allocated, child):
    from tests.iro.factories import CareEpisodeFactory

    CareEpisodeFactory(child=child, start=date(2025, 3, 1))
    plan_from_icpc(child, iro_allocated)
    page = login(iro_allocated).get(reverse("protection:child", args=[child.pk])).content.decode()
    assert "Looked after and on a child protection plan" in page
    assert "Child protection plans" in page and "Neglect, Neglect" in page


def test_the_child_record_gets_a_cp_section_and_timeline_entries(
    rf, iro_allocated, board_member, child
):
    from protection.hooks import child_section, timeline

    plan_from_icpc(child, iro_allocated, held_on=date(2025, 5, 1))
    request = rf.get("/")
    request.user = iro_allocated
    panel = child_section(request, child)
    assert panel.template == "protection/includes/child_section.html"
    assert [p.start for p in panel.context["plans"]] == [date(2025, 5, 1)]
    titles = sorted((e.when, e.title) for e in timeline(child, iro_allocated))
    assert titles == [
        (date(2025, 4, 10), "Strategy discussion: section 47 enquiries started"),
        (date(2025, 5, 1), "Child protection plan started"),
        (date(2025, 5, 1), "ICPC held"),
    ]
    request.user = board_member
    assert child_section(request, child) is None
    assert timeline(child, board_member) == []


def test_an_icpc_not_yet_booked_shows_for_the_childs_reviewing_officer(login, iro_allocated, child):
    icpc_due_for(child)  # the child has a CLA allocation only: the dual-role IRO chairs
    page = login(iro_allocated).get(reverse("protection:my_conferences")).content.decode()
    assert "1 conference to hold" in page and "Not booked" in page
