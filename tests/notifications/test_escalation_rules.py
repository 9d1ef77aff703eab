"""IRP events and the hourly escalation rules, with frozen time (Easter 2026 in the window)."""

from datetime import date

import pytest

from escalations import services
from escalations.models import EscalationSettings, EscalationState, ResponderLevel
from iro.notifications.models import Notification
from tests.escalations.factories import make_responder, raise_irp, stage
from tests.iro.factories import AllocationFactory, ChildFactory
from tests.notifications.helpers import kinds_for, run_on, titles_for

RAISED = date(2026, 3, 27)  # a Friday: the stage-1 response is due Tuesday 7 April


@pytest.fixture
def responder(db):
    return make_responder(
        ResponderLevel.SW_TEAM_MANAGER, username="sam", first_name="Sam", last_name="Stone"
    )


@pytest.fixture
def irp(child, iro_allocated, responder, team_manager):
    return raise_irp(iro=iro_allocated, children=[child], responder=responder, order=1, on=RAISED)


def test_raising_tells_the_responder_and_the_raising_iros_team_manager(
    irp, responder, team_manager, iro_allocated
):
    assert titles_for(responder) == [
        f"IRP {irp.pk} for Jamie Smith (C900001): raised at Social work team manager; you are "
        "the named responder, response due by 7 Apr 2026"
    ]
    assert kinds_for(team_manager) == ["irp_raised"]
    assert "by Alice Adeyemi" in titles_for(team_manager)[0]
    assert kinds_for(iro_allocated) == []


def test_a_responder_who_may_not_see_the_child_gets_no_name(iro_allocated, responder):
    restricted = ChildFactory(
        first_name="Octavia", last_name="Wrenfield", la_child_id="QX9003", restricted=True
    )
    AllocationFactory(child=restricted, iro=iro_allocated)
    irp = raise_irp(iro=iro_allocated, children=[restricted], responder=responder, on=RAISED)
    (title,) = titles_for(responder)
    assert title.startswith(f"IRP {irp.pk} raised on 27 Mar 2026: raised at Social work")
    assert "Octavia" not in title and "QX9003" not in title


def test_reply_and_resolution_go_to_the_raising_iro(irp, responder, iro_allocated):
    services.escalation_respond(
        escalation=irp, responder=responder, response="Meeting booked", responded_on=RAISED
    )
    assert kinds_for(iro_allocated) == ["irp_replied"]
    assert titles_for(iro_allocated) == [
        f"IRP {irp.pk} for Jamie Smith (C900001): Sam Stone replied on 27 Mar 2026"
    ]


def test_escalating_and_referring_tell_the_new_responder_and_team_manager(
    irp, iro_allocated, head_of_service, team_manager
):
    services.escalation_escalate(
        escalation=irp, user=iro_allocated, stage=stage(2), responder=head_of_service, on=RAISED
    )
    assert kinds_for(head_of_service) == ["irp_escalated"]
    services.escalation_refer_cafcass(escalation=irp, user=iro_allocated, on=RAISED)
    assert kinds_for(head_of_service) == ["irp_escalated", "irp_referred_cafcass"]
    assert kinds_for(team_manager) == ["irp_escalated", "irp_raised", "irp_referred_cafcass"]


def test_response_due_tomorrow_means_the_next_working_day(irp, responder):
    run_on(date(2026, 4, 1), "hourly")  # next working day is 2 April
    assert kinds_for(responder, "irp_response") == []
    run_on(date(2026, 4, 2), "hourly")  # Thursday: the next working day is Tuesday 7 April
    assert kinds_for(responder, "irp_response") == ["irp_response_due"]
    run_on(date(2026, 4, 2), "hourly")  # the hourly rule runs again: nothing new
    assert kinds_for(responder, "irp_response") == ["irp_response_due"]


def test_overdue_tells_the_responder_and_the_raising_iro(irp, responder, iro_allocated):
    run_on(date(2026, 4, 7), "hourly")  # due today: not overdue yet
    assert kinds_for(iro_allocated) == []
    run_on(date(2026, 4, 8), "hourly")
    assert kinds_for(responder, "irp_response_overdue") == ["irp_response_overdue"]
    assert kinds_for(iro_allocated) == ["irp_response_overdue"]
    assert titles_for(iro_allocated)[0].endswith("was due by 7 Apr 2026; you can escalate")


def test_no_overdue_reminder_once_answered(irp, responder, iro_allocated):
    services.escalation_respond(
        escalation=irp, responder=responder, response="Done", responded_on=date(2026, 4, 1)
    )
    run_on(date(2026, 4, 8), "hourly")
    assert kinds_for(responder, "irp_response") == []


def test_automatic_escalation_is_off_by_default(irp, head_of_service):
    run_on(date(2026, 4, 20), "hourly")
    irp.refresh_from_db()
    assert irp.current_stage.order == 1
    assert kinds_for(head_of_service) == []


def test_automatic_escalation_after_n_overdue_working_days(irp, head_of_service, iro_allocated):
    settings = EscalationSettings.load()
    settings.auto_escalate_after_working_days = 2
    settings.save()
    run_on(date(2026, 4, 8), "hourly")  # 1 working day overdue
    irp.refresh_from_db()
    assert irp.current_stage.order == 1
    run_on(date(2026, 4, 9), "hourly")  # 2 working days overdue
    irp.refresh_from_db()
    assert irp.current_stage.order == 2
    assert irp.status == EscalationState.AWAITING_RESPONSE
    assert kinds_for(head_of_service) == ["irp_escalated"]
    assert "irp_auto_escalated" in kinds_for(iro_allocated)
    run_on(date(2026, 4, 9), "hourly")
    irp.refresh_from_db()
    assert irp.current_stage.order == 2
    assert Notification.objects.filter(kind="irp_auto_escalated").count() == 1
