"""What the pages do: raise, answer, escalate and resolve through forms; queues and lists."""

from datetime import date

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from escalations import panels, services
from escalations.models import Concern, Escalation
from iro.rules import add_working_days, working_days_between
from tests.escalations.factories import raise_irp, stage
from tests.iro.factories import AllocationFactory, ChildFactory


def irp_form(siblings, responder, **overrides):
    data = {
        "children": [c.pk for c in siblings],
        "category": "drift_and_delay",
        "summary": "Family finding has stalled",
        "outcome_sought": "A matching plan by the next review",
        "stage": stage(1).pk,
        "responder": responder.pk,
    }
    data.update(overrides)
    return data


def test_an_iro_raises_one_irp_for_two_siblings(iro_allocated, siblings, sw_manager, login):
    client = login(iro_allocated)
    page = client.get(reverse("escalations:new") + f"?child={siblings[0].pk}")
    assert page.status_code == 200
    assert page.content.decode().count('name="children"') == 2
    response = client.post(reverse("escalations:new"), irp_form(siblings, sw_manager))
    escalation = Escalation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("escalations:detail", args=[escalation.pk])
    assert escalation.children.count() == 2
    assert escalation.stages.get().responder == sw_manager


def test_a_bad_irp_form_shows_errors_and_keeps_what_was_typed(
    iro_allocated, siblings, head_of_service, login
):
    response = login(iro_allocated).post(
        reverse("escalations:new"), irp_form(siblings, head_of_service, outcome_sought="")
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body
    assert "Enter the outcome you seek" in body
    assert "Choose a responder who is a social work team manager" in body
    assert "Family finding has stalled" in body
    assert Escalation.objects.count() == 0


def test_an_irp_cannot_be_raised_for_a_child_out_of_reach(iro_other, siblings, sw_manager, login):
    response = login(iro_other).post(reverse("escalations:new"), irp_form(siblings, sw_manager))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert Escalation.objects.count() == 0


def test_an_iro_records_a_concern_with_the_date_fields(iro_allocated, child, login):
    response = login(iro_allocated).post(
        reverse("escalations:concern_new"),
        {
            "child": child.pk,
            "raised_on_0": "3",
            "raised_on_1": "11",
            "raised_on_2": "2025",
            "category": "practice",
            "practice_subcategory": "health_assessment_delay",
            "description": "Health assessment overdue by 3 months",
            "raised_with": "Social worker",
        },
    )
    concern = Concern.objects.get()
    assert response.status_code == 302
    assert (concern.raised_on, concern.practice_subcategory, concern.plan_context) == (
        date(2025, 11, 3),
        "health_assessment_delay",
        "neither",
    )


def test_a_practice_concern_without_its_kind_is_refused_on_the_form(iro_allocated, child, login):
    response = login(iro_allocated).post(
        reverse("escalations:concern_new"),
        {
            "child": child.pk,
            "raised_on_0": "3",
            "raised_on_1": "11",
            "raised_on_2": "2025",
            "category": "practice",
            "description": "Kept text",
            "raised_with": "Social worker",
        },
    )
    body = response.content.decode()
    assert "Select the kind of practice concern" in body and "Kept text" in body
    assert Concern.objects.count() == 0


def test_an_unresolved_concern_is_raised_as_an_irp(iro_allocated, child, sw_manager, login):
    concern = services.concern_raise(
        child=child,
        raised_by=iro_allocated,
        category="legal_status",
        description="s20",
        raised_with="w",
    )
    client = login(iro_allocated)
    url = reverse("escalations:new") + f"?concern={concern.pk}"
    assert "From the concern raised" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "children": [child.pk],
            "summary": "s20 does not fit the plan",
            "outcome_sought": "Legal planning meeting",
            "stage": stage(1).pk,
            "responder": sw_manager.pk,
        },
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == "escalated"
    assert concern.escalation.category == "legal_status"


def test_the_queue_lists_overdue_first_with_working_days_left(
    iro_allocated, child, head_of_service, login
):
    today = timezone.localdate()
    recent = raise_irp(
        iro=iro_allocated, children=[child], responder=head_of_service, order=2, on=today
    )
    old = raise_irp(
        iro=iro_allocated,
        children=[child],
        responder=head_of_service,
        order=2,
        on=add_working_days(today, -8),
    )
    response = login(head_of_service).get(reverse("escalations:queue"))
    rows = response.context["rows"]
    assert [r["escalation"].pk for r in rows] == [old.pk, recent.pk]
    # Counted from today, which may fall on a weekend: the rule decides, not the test.
    overdue_by = working_days_between(old.stages.get().response_deadline, today)
    assert overdue_by >= 2
    assert rows[0]["overdue"] is True and rows[0]["days_overdue"] == overdue_by
    assert rows[1]["overdue"] is False and rows[1]["days_left"] == 5
    assert f"Overdue by {overdue_by}" in response.content.decode()


def test_the_head_of_service_resolves_from_the_queue(iro_allocated, child, head_of_service, login):
    irp = raise_irp(iro=iro_allocated, children=[child], responder=head_of_service, order=2)
    client = login(head_of_service)
    page = client.get(reverse("escalations:respond_page", args=[irp.pk]) + "?resolved=1")
    assert 'value="yes"' in page.content.decode()
    response = client.post(
        reverse("escalations:respond", args=[irp.pk]),
        {"respond-response": "Placement found", "respond-resolved": "yes", "next": "queue"},
    )
    assert response.status_code == 302 and response.url == reverse("escalations:queue")
    irp.refresh_from_db()
    assert irp.status == "resolution_proposed"
    assert client.get(reverse("escalations:queue")).context["rows"] == []


def test_an_empty_response_is_refused_with_a_message(iro_allocated, child, head_of_service, login):
    irp = raise_irp(iro=iro_allocated, children=[child], responder=head_of_service, order=2)
    response = login(head_of_service).post(
        reverse("escalations:respond", args=[irp.pk]),
        {"respond-response": "", "respond-resolved": "no"},
    )
    assert response.status_code == 400
    assert "Enter your response" in response.content.decode()
    irp.refresh_from_db()
    assert irp.status == "awaiting_response"


def test_the_iro_escalates_and_then_records_outcome_quality(
    iro_allocated, siblings, sw_manager, head_of_service, login
):
    irp = raise_irp(iro=iro_allocated, children=siblings, responder=sw_manager)
    services.escalation_respond(escalation=irp, responder=sw_manager, response="Not yet")
    client = login(iro_allocated)
    detail = client.get(reverse("escalations:detail", args=[irp.pk]))
    assert set(detail.context["forms"]) == {"resolve", "escalate", "refer_cafcass", "withdraw"}
    response = client.post(
        reverse("escalations:escalate", args=[irp.pk]),
        {"escalate-stage": stage(2).pk, "escalate-responder": head_of_service.pk},
    )
    assert response.status_code == 302
    services.escalation_respond(
        escalation=irp, responder=head_of_service, response="Agreed", resolved=True
    )
    client.post(
        reverse("escalations:resolve", args=[irp.pk]),
        {"resolve-outcome_quality": "resolved_for_child", "resolve-note": "Matched"},
    )
    irp.refresh_from_db()
    assert (irp.status, irp.current_stage.order, irp.outcome_quality) == (
        "resolved",
        2,
        "resolved_for_child",
    )
    history = client.get(reverse("escalations:detail", args=[irp.pk])).context["events"]
    assert [h["event"].action for h in history] == [
        "raise",
        "respond",
        "escalate",
        "propose_resolution",
        "resolve",
    ]


def test_escalating_to_a_responder_of_the_wrong_level_shows_an_error(
    iro_allocated, child, sw_manager, director, login
):
    irp = raise_irp(iro=iro_allocated, children=[child], responder=sw_manager)
    response = login(iro_allocated).post(
        reverse("escalations:escalate", args=[irp.pk]),
        {"escalate-stage": stage(2).pk, "escalate-responder": director.pk},
    )
    assert response.status_code == 400
    assert "Choose a responder who is a head of service" in response.content.decode()
    irp.refresh_from_db()
    assert irp.current_stage.order == 1


def test_the_manager_list_shows_every_open_irp_with_stage_and_age(
    iro_allocated, iro_other, child, sw_manager, team_manager, login
):
    other_child = ChildFactory()
    AllocationFactory(child=other_child, iro=iro_other)
    first = raise_irp(
        iro=iro_allocated, children=[child], responder=sw_manager, on=date(2025, 12, 19)
    )
    second = raise_irp(
        iro=iro_other, children=[other_child], responder=sw_manager, on=date(2026, 1, 5)
    )
    closed = raise_irp(iro=iro_other, children=[other_child], responder=sw_manager)
    services.escalation_withdraw(escalation=closed, user=iro_other, note="Duplicate")
    rows = login(team_manager).get(reverse("escalations:all")).context["rows"]
    today = timezone.localdate()
    assert [(r["escalation"].pk, r["age"]) for r in rows] == [
        (first.pk, working_days_between(date(2025, 12, 19), today)),
        (second.pk, working_days_between(date(2026, 1, 5), today)),
    ]


def test_the_iro_page_lists_only_their_open_work(iro_allocated, iro_other, world, login):
    mine = login(iro_allocated).get(reverse("escalations:mine")).context
    assert [r["escalation"] for r in mine["rows"]] == [world["irp"]]
    assert list(mine["concerns"]) == [world["concern"]]
    theirs = login(iro_other).get(reverse("escalations:mine")).context
    assert theirs["rows"] == [] and list(theirs["concerns"]) == []


def test_home_pages_show_the_panels(world, head_of_service, iro_allocated, team_manager, login):
    body = login(head_of_service).get("/").content.decode()
    assert "Escalations awaiting my response" in body and f"IRP {world['irp'].pk}" in body
    body = login(iro_allocated).get("/").content.decode()
    assert "You have 1 open IRP and 1 open concern" in body
    body = login(team_manager).get("/").content.decode()
    assert "1 open IRP, 1 past the 20-working-day timescale" in body


@pytest.mark.parametrize(
    ("role", "concerns", "escalations"),
    [("iro_allocated", 1, 1), ("team_manager", 1, 1), ("head_of_service", 0, 1)],
)
def test_the_child_record_section_shows_what_the_user_may_see(
    role, concerns, escalations, world, child, all_personas
):
    request = RequestFactory().get("/")
    request.user = all_personas[role]
    panel = panels.child_section(request, child)
    assert len(panel.context["concerns"]) == concerns
    assert len(panel.context["escalations"]) == escalations
    entries = panels.child_timeline(child, all_personas[role])
    assert len(entries) == concerns + escalations


def test_the_named_responder_can_open_the_childs_record_but_others_cannot(
    world, child, head_of_service, other_head_of_service
):
    from iro.access import can_see_child

    assert can_see_child(head_of_service, child) is True
    assert can_see_child(other_head_of_service, child) is False


def test_the_child_record_shows_concerns_and_irps(world, child, iro_allocated, login):
    body = login(iro_allocated).get(reverse("children:detail", kwargs={"pk": child.pk})).content
    body = body.decode()
    assert "IRO concerns and escalations" in body
    assert reverse("escalations:detail", args=[world["irp"].pk]) in body
    assert reverse("escalations:concern", args=[world["concern"].pk]) in body


def test_the_named_responder_opens_the_child_record_from_the_irp(
    world, child, head_of_service, other_head_of_service, login
):
    url = reverse("children:detail", kwargs={"pk": child.pk})
    detail = login(head_of_service).get(reverse("escalations:detail", args=[world["irp"].pk]))
    assert url in detail.content.decode()
    assert login(head_of_service).get(url).status_code == 200
    assert login(other_head_of_service).get(url).status_code == 404


def test_the_default_ladder_is_recreated_when_none_is_configured(iro_allocated, login):
    from escalations.models import StageDefinition

    StageDefinition.objects.all().delete()
    page = login(iro_allocated).get(reverse("escalations:new"))
    assert list(page.context["form"].fields["stage"].queryset.values_list("order", flat=True)) == [
        1,
        2,
        3,
        4,
    ]


def test_a_restricted_childs_name_shows_only_to_those_who_may_open_the_record(
    iro_allocated, child, head_of_service, team_manager, login
):
    child.restricted = True
    child.save()
    irp = raise_irp(iro=iro_allocated, children=[child], responder=head_of_service, order=2)
    queue = login(head_of_service).get(reverse("escalations:queue"))
    assert queue.context["rows"][0]["children"][0]["name"] == "Restricted record"
    assert "Jamie" not in queue.content.decode()
    detail = login(head_of_service).get(reverse("escalations:detail", args=[irp.pk]))
    assert "Jamie" not in detail.content.decode()
    managers = login(team_manager).get(reverse("escalations:all")).context["rows"]
    assert managers[0]["children"][0]["name"] == "Jamie Smith"


def test_an_earlier_responder_still_sees_the_irp_but_can_no_longer_respond(
    iro_allocated, child, sw_manager, head_of_service, login
):
    irp = raise_irp(iro=iro_allocated, children=[child], responder=sw_manager)
    services.escalation_escalate(
        escalation=irp, user=iro_allocated, stage=stage(2), responder=head_of_service
    )
    client = login(sw_manager)
    detail = client.get(reverse("escalations:detail", args=[irp.pk]))
    assert detail.status_code == 200 and detail.context["forms"] == {}
    assert client.get(reverse("escalations:respond_page", args=[irp.pk])).status_code == 403
    assert client.get(reverse("escalations:queue")).context["rows"] == []


def test_the_responder_list_is_grouped_by_level_in_ladder_order(
    iro_allocated, sw_manager, head_of_service, director, login
):
    body = login(iro_allocated).get(reverse("escalations:new")).content.decode()
    groups = [
        body.index(f'<optgroup label="{label}">')
        for label in ("Social work team manager", "Head of service", "Director")
    ]
    assert groups == sorted(groups)
    assert body.index("Sam Shaw") < groups[1] < body.index("Harriet Hughes") < groups[2]


def test_withdraw_is_a_warning_button_and_the_history_reads_as_a_status_change(
    iro_allocated, child, sw_manager, login
):
    irp = raise_irp(iro=iro_allocated, children=[child], responder=sw_manager)
    services.escalation_respond(escalation=irp, responder=sw_manager, response="Not yet")
    html = login(iro_allocated).get(reverse("escalations:detail", args=[irp.pk])).content.decode()
    withdraw = html.split('data-testid="form-withdraw"')[1].split("</form>")[0]
    assert "govuk-button--warning" in withdraw and 'value="Withdraw IRP"' in withdraw
    escalate = html.split('data-testid="form-escalate"')[1].split("</form>")[0]
    assert "govuk-button--warning" not in escalate
    history = html.split('data-testid="history"')[1]
    assert "Awaiting response to response received" not in history
    assert "Response received (was awaiting response)" in history
    assert "not yet raised" not in history and history.count("Awaiting response") == 1
