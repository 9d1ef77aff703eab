"""Two people acting on one IRP at the same moment: the row lock lets only one through."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from escalations import services
from escalations.models import EscalationEvent
from tests.escalations.factories import raise_irp, stage


def race(*calls):
    """Run the calls at once in separate threads (each with its own connection)."""
    barrier = threading.Barrier(len(calls))
    results = []

    def run(call):
        try:
            barrier.wait()
            call()
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(results)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_escalations_cannot_both_pass(
    iro_allocated, child, sw_manager, head_of_service, assistant_director
):
    irp = raise_irp(iro=iro_allocated, children=[child], responder=sw_manager)
    services.escalation_respond(escalation=irp, responder=sw_manager, response="No")
    results = race(
        lambda: services.escalation_escalate(
            escalation=irp, user=iro_allocated, stage=stage(2), responder=head_of_service
        ),
        lambda: services.escalation_resolve(
            escalation=irp, user=iro_allocated, outcome_quality="partly_resolved"
        ),
    )
    irp.refresh_from_db()
    # Whichever came first won; the other found the IRP in a state that refuses it.
    assert results == ["ok", "refused"]
    assert EscalationEvent.objects.filter(escalation=irp).count() == 3
    assert irp.stages.filter(closed_on__isnull=True).count() == (
        1 if irp.status == "awaiting_response" else 0
    )


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_escalate_presses_one_wins_the_other_is_refused_cleanly(
    iro_allocated, child, sw_manager, head_of_service
):
    """The raising IRO presses Escalate twice at once: no 500, one stage 2, a clear refusal."""
    irp = raise_irp(iro=iro_allocated, children=[child], responder=sw_manager)
    services.escalation_respond(escalation=irp, responder=sw_manager, response="No")
    errors = []

    def escalate():
        try:
            services.escalation_escalate(
                escalation=irp, user=iro_allocated, stage=stage(2), responder=head_of_service
            )
        except ValidationError as error:
            errors.append(error.message_dict)
            raise

    results = race(escalate, escalate)
    assert results == ["ok", "refused"]
    assert errors == [
        {"stage": ["The IRP is already at stage 2: choose a later stage than the current one"]}
    ]
    irp.refresh_from_db()
    assert irp.current_stage.order == 2
    assert irp.stages.count() == 2
    assert irp.stages.filter(closed_on__isnull=True).count() == 1
    assert EscalationEvent.objects.filter(escalation=irp, action="escalate").count() == 1
