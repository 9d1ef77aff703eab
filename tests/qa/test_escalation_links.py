"""Links on the IRP page lead only where the reader may go; the page links back to the list."""

from datetime import date

from django.urls import reverse

from escalations import services
from tests.escalations.factories import raise_irp


def _irp_from_concern(child, iro, responder):
    concern = services.concern_raise(
        child=child,
        raised_by=iro,
        category="drift_and_delay",
        description="Permanence delayed",
        raised_with="Team manager",
        raised_on=date(2025, 12, 1),
    )
    irp = raise_irp(iro=iro, children=[child], responder=responder, order=2, source_concern=concern)
    return concern, irp


def test_a_responder_sees_the_source_concern_as_text_not_a_link_that_would_be_refused(
    child, iro_allocated, head_of_service, login
):
    concern, irp = _irp_from_concern(child, iro_allocated, head_of_service)
    client = login(head_of_service)
    concern_url = reverse("escalations:concern", args=[concern.pk])
    assert client.get(concern_url).status_code == 403
    body = client.get(reverse("escalations:detail", args=[irp.pk])).content.decode()
    assert "Concern raised 1 Dec 2025" in body
    assert f'href="{concern_url}"' not in body


def test_the_raising_iro_gets_a_link_to_the_source_concern_and_back_to_escalations(
    child, iro_allocated, head_of_service, login
):
    concern, irp = _irp_from_concern(child, iro_allocated, head_of_service)
    client = login(iro_allocated)
    body = client.get(reverse("escalations:detail", args=[irp.pk])).content.decode()
    concern_url = reverse("escalations:concern", args=[concern.pk])
    assert f'href="{concern_url}"' in body
    assert client.get(concern_url).status_code == 200
    assert f'href="{reverse("escalations:home")}" class="govuk-back-link"' in body
