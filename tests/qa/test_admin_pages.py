"""Every admin page answers without a server error: changelist, add, change and history of every
registered model, as a superuser (who sees them all), on a database holding a record of each."""

import contextlib
from datetime import date

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from iro.models import AccessLog, AuditEvent, ServiceSettings
from reviews.models import ContactKind, IroContact
from tests.iro.factories import CareEpisodeFactory, make_user
from tests.protection.factories import (
    CoreGroupMeetingFactory,
    StrategyDiscussionFactory,
    plan_from_icpc,
)
from tests.reviews.factories import held_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(child, iro_allocated, head_of_service):
    from escalations import services
    from tests.escalations.factories import raise_irp

    raise_irp(iro=iro_allocated, children=[child], responder=head_of_service, order=2)
    services.concern_raise(
        child=child,
        raised_by=iro_allocated,
        category="drift_and_delay",
        description="Permanence delayed",
        raised_with="Team manager",
        raised_on=date(2025, 12, 1),
    )
    CareEpisodeFactory(child=child)
    held_review(chair=iro_allocated, child=child, held_on=date(2025, 6, 2))
    plan_from_icpc(child, iro_allocated, held_on=date(2025, 5, 1))
    StrategyDiscussionFactory(child=child)
    CoreGroupMeetingFactory()
    ServiceSettings.load()
    AccessLog.objects.create(user=iro_allocated, child=child, path="/children/1/")
    AuditEvent.objects.create(subject=iro_allocated, action="role_added", detail="IRO")
    IroContact.objects.create(
        child=child, iro=iro_allocated, contact_on=date(2025, 6, 3), kind=ContactKind.choices[0][0]
    )


def test_every_admin_page_answers_without_a_server_error(records, login):
    root = make_user(None, username="root", is_superuser=True, is_staff=True)
    client = login(root)
    pages = 0
    with_records = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        urls = [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
        obj = model_admin.get_queryset(_request(root)).first()
        if obj is not None:
            with_records.append(opts.label)
            urls += [reverse(f"{name}_change", args=[obj.pk])]
            with contextlib.suppress(NoReverseMatch):
                urls.append(reverse(f"{name}_history", args=[obj.pk]))
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 302, 403), (url, response.status_code)
            pages += 1
    assert "iro.ServiceSettings" in with_records
    assert client.get("/admin/iro/servicesettings/1/history/").status_code == 200
    assert len(with_records) >= 15, with_records
    assert pages >= 70


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request
