"""List pages and endpoints answer in a constant number of queries, whatever the row count."""

import pytest
from django.urls import reverse

from escalations import services
from escalations.panels import PANEL_ROWS
from tests.escalations.factories import raise_irp


def make_irps(n, iro, children, responder):
    for _ in range(n):
        irp = raise_irp(iro=iro, children=children, responder=responder, order=2)
        services.concern_raise(
            child=children[0], raised_by=iro, category="other", description="d", raised_with="w"
        )
        assert irp.pk


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("head_of_service", reverse("escalations:queue")),
        ("iro_allocated", reverse("escalations:mine")),
        ("team_manager", reverse("escalations:all")),
        ("head_of_service", "/"),
        ("iro_allocated", "/"),
        ("team_manager", "/"),
        ("team_manager", reverse("escalation-list")),
        ("iro_allocated", reverse("concern-list")),
    ],
)
def test_list_query_count_is_constant(
    persona,
    url,
    all_personas,
    iro_allocated,
    siblings,
    head_of_service,
    login,
    django_assert_max_num_queries,
):
    client = login(all_personas[persona])
    # A full home panel to start with: below PANEL_ROWS the panels need no count query.
    make_irps(PANEL_ROWS, iro_allocated, siblings, head_of_service)
    client.get(url)  # warm the session and permission caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    make_irps(15, iro_allocated, siblings, head_of_service)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_home_panel_totals_count_every_open_irp_below_and_above_a_full_panel(
    iro_allocated, siblings, head_of_service, rf
):
    from escalations.panels import iro_panel, queue_panel

    def totals():
        request = rf.get("/")
        request.user = iro_allocated
        mine = iro_panel(request).context
        request.user = head_of_service
        queue = queue_panel(request).context
        return len(mine["rows"]), mine["escalation_total"], len(queue["rows"]), queue["total"]

    make_irps(2, iro_allocated, siblings, head_of_service)
    assert totals() == (2, 2, 2, 2)
    make_irps(PANEL_ROWS + 2, iro_allocated, siblings, head_of_service)
    total = PANEL_ROWS + 4
    assert totals() == (PANEL_ROWS, total, PANEL_ROWS, total)
