"""Raised concerns and IRPs keep a child in sight only while open and for 12 months after they
close (the chaired-meeting window); after a reallocation the child's IRO now acts on the IRP; a
head of service sees every open IRP."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from escalations import selectors, services
from escalations.models import Escalation, EscalationState
from iro.services.allocations import allocation_allocate
from tests.escalations.factories import raise_irp

pytestmark = pytest.mark.django_db


def _reallocate(child, to):
    allocation_allocate(
        child=child, iro=to, role="cla", start=timezone.localdate(), reason="Reallocated"
    )


@pytest.fixture
def old(child, iro_allocated, head_of_service):
    """An IRP and a concern about `child`, raised 2 years ago by iro_allocated."""
    today = timezone.localdate()
    raised = today - timedelta(days=730)
    irp = raise_irp(
        iro=iro_allocated, children=[child], responder=head_of_service, order=2, on=raised
    )
    concern = services.concern_raise(
        child=child,
        raised_by=iro_allocated,
        category="drift_and_delay",
        description="Permanence delayed",
        raised_with="Team manager",
        raised_on=raised,
    )
    return irp, concern


def _close(irp, concern, days_ago):
    on = timezone.localdate() - timedelta(days=days_ago)
    services.escalation_withdraw(escalation=irp, user=irp.raised_by, note="Done", on=on)
    services.concern_resolve(
        concern=concern, user=concern.raised_by, outcome="Done", resolved_on=on
    )


@pytest.mark.parametrize(("days_ago", "visible"), [(300, True), (400, False)])
def test_a_raised_irp_and_concern_stay_visible_for_12_months_after_closing(
    old, child, iro_allocated, iro_other, head_of_service, login, days_ago, visible
):
    irp, concern = old
    _reallocate(child, iro_other)  # the raiser is no longer the child's IRO
    _close(irp, concern, days_ago)
    client = login(iro_allocated)
    expected = 200 if visible else 404
    assert client.get(reverse("escalations:detail", args=[irp.pk])).status_code == expected
    assert client.get(reverse("escalations:concern", args=[concern.pk])).status_code == expected
    assert client.get(reverse("escalation-list")).json()["count"] == int(visible)
    assert client.get(reverse("concern-list")).json()["count"] == int(visible)
    # The responder named on it: the same window for the IRP and the child.
    assert selectors.escalations_visible_to(head_of_service).filter(pk=irp.pk).exists() is visible
    assert selectors.child_ids_addressed_to(head_of_service).filter(child_id=child.pk).exists() is (
        visible
    )


def test_an_open_irp_stays_visible_to_its_raiser_however_old(old, child, iro_allocated, iro_other):
    irp, concern = old
    _reallocate(child, iro_other)
    assert selectors.escalations_visible_to(iro_allocated).filter(pk=irp.pk).exists()
    assert selectors.concerns_visible_to(iro_allocated).filter(pk=concern.pk).exists()


def test_the_childs_new_iro_acts_on_an_irp_raised_by_the_previous_iro(old, child, iro_other, login):
    irp, concern = old
    _reallocate(child, iro_other)
    client = login(iro_other)
    page = client.get(reverse("escalations:detail", args=[irp.pk])).content.decode()
    assert "Withdraw IRP" in page
    response = client.post(
        reverse("escalations:withdraw", args=[irp.pk]), {"withdraw-note": "Plan now in place"}
    )
    assert response.status_code == 302
    irp.refresh_from_db()
    assert irp.status == EscalationState.WITHDRAWN
    assert irp.events.last().actor == iro_other
    mine = client.get(reverse("escalations:mine")).context
    assert [c.pk for c in mine["concerns"]] == [concern.pk]
    response = client.post(reverse("escalations:concern", args=[concern.pk]), {"outcome": "Agreed"})
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == "resolved"


def test_an_iro_who_is_not_the_childs_iro_still_cannot_act(old, child, iro_other, login):
    irp, _ = old
    assert not selectors.is_acting_iro(irp, iro_other)
    response = login(iro_other).post(
        reverse("escalations:withdraw", args=[irp.pk]), {"withdraw-note": "x"}
    )
    assert response.status_code == 404
    assert Escalation.objects.get(pk=irp.pk).status == EscalationState.AWAITING_RESPONSE


def test_a_head_of_service_sees_every_open_irp(
    child, iro_allocated, head_of_service, other_head_of_service, login
):
    raise_irp(iro=iro_allocated, children=[child], responder=other_head_of_service, order=2)
    raise_irp(iro=iro_allocated, children=[child], responder=head_of_service, order=2)
    response = login(head_of_service).get(reverse("escalations:all"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 2
    assert (
        'href="/escalations/all/"'
        in login(head_of_service).get(reverse("escalations:queue")).content.decode()
    )
