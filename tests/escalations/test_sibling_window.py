"""A sibling named on an IRP stays in sight of an IRO who is not allocated to them only while the
IRP is open and for 12 months after it closes (the window of chaired meetings and raised IRPs,
iro.access.named_on_shared_record); then the IRP, still in sight through the IRO's own child,
shows the sibling as a record outside their access. A restricted sibling is never named."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from escalations import services
from iro.services.allocations import allocation_allocate
from tests.escalations.factories import raise_irp

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_sibling_irp(siblings, iro_allocated, iro_other, sw_manager):
    """An IRP about both siblings raised by their IRO 800 days ago; the younger sibling moved to
    another IRO 700 days ago."""
    own, sibling = siblings
    today = timezone.localdate()
    irp = raise_irp(
        iro=iro_allocated, children=[own, sibling], responder=sw_manager, on=today - timedelta(800)
    )
    allocation_allocate(
        child=sibling, iro=iro_other, role="cla", start=today - timedelta(700), reason="Moved"
    )
    return irp


def _close(irp, days_ago: int) -> None:
    on = timezone.localdate() - timedelta(days=days_ago)
    services.escalation_withdraw(escalation=irp, user=irp.raised_by, note="Done", on=on)


def _answers(client, irp) -> dict[str, str]:
    out = {}
    for url in (
        reverse("escalations:detail", args=[irp.pk]),
        reverse("escalation-list"),
        reverse("escalation-detail", args=[irp.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        out[url] = response.content.decode()
    return out


@pytest.mark.parametrize(("days_ago", "named"), [(None, True), (300, True), (400, False)])
def test_a_sibling_on_an_irp_is_named_only_within_its_window(
    old_sibling_irp, siblings, iro_allocated, login, days_ago, named
):
    own, sibling = siblings
    if days_ago is not None:
        _close(old_sibling_irp, days_ago)
    for url, body in _answers(login(iro_allocated), old_sibling_irp).items():
        api = url.startswith("/api/")
        # The IRP is still in sight through the IRO's own child, who is always named.
        assert own.full_name in body and (own.la_child_id in body or not api), url
        assert (sibling.first_name in body) is named, url
        if api:
            assert (sibling.la_child_id in body) is named, url
        assert ("Record outside your access" in body) is not named, url


def test_a_restricted_sibling_is_never_named(old_sibling_irp, siblings, iro_allocated, login):
    _own, sibling = siblings
    sibling.restricted = True
    sibling.save()
    for url, body in _answers(login(iro_allocated), old_sibling_irp).items():
        assert sibling.la_child_id not in body and sibling.first_name not in body, url
        assert "Restricted record" in body, url


def test_the_siblings_own_iro_sees_them_however_old_the_irp(
    old_sibling_irp, siblings, iro_other, sw_manager, login
):
    """The responder named on it keeps the same window; the sibling's IRO now sees the child."""
    _own, sibling = siblings
    _close(old_sibling_irp, 400)
    body = login(iro_other).get(reverse("children:detail", args=[sibling.pk])).content.decode()
    assert sibling.la_child_id in body
