"""With a replica configured, figures read from it and bookings and case pages use the primary.

The "replica" connection here is a second connection to the test database (TEST MIRROR), so the
test can see which connection each query ran on; bench/replica.py runs the same routing against
a real streaming replica. Data is committed (transaction=True) so that the second connection sees it.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext, override_settings

from iro.db_router import reporting_connection, reporting_reads
from iro.meetings import meeting_book
from iro.models import Meeting, MeetingKind, ServiceSettings
from iro.roles import Role
from reporting.annual_data import build_report
from reporting.figures import SECTIONS, Period, compute_many, figures_in, get_figure
from tests.iro.factories import ChildFactory, make_user
from tests.reporting import care_dataset

PERIOD = Period.year(2024)
ON_REPLICA = override_settings(REPORTING_DATABASE="replica")
BOTH = ["default", "replica"]


def _captured():
    return CaptureQueriesContext(connections["default"]), CaptureQueriesContext(
        connections["replica"]
    )


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_figure_reads_from_the_replica():
    care_dataset.build()
    primary, replica = _captured()
    with ON_REPLICA, primary, replica:
        result = get_figure("CLA-01").compute(PERIOD)
    assert result.value == 6  # A, B, E, F, K and L (care_dataset)
    assert len(replica.captured_queries) >= 1
    assert primary.captured_queries == []


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_annual_report_reads_only_from_the_replica_raw_sql_included():
    care_dataset.build()
    ids = [f.id for section in SECTIONS for f in figures_in(section)]
    on_primary = compute_many(ids, PERIOD, workers=1)
    primary, replica = _captured()
    with ON_REPLICA, primary, replica:
        on_replica = compute_many(ids, PERIOD, workers=1)
    assert on_replica["CLA-01"]["result"].value == on_primary["CLA-01"]["result"].value == 6
    assert {k: v["result"].as_dict() for k, v in on_replica.items()} == {
        k: v["result"].as_dict() for k, v in on_primary.items()
    }
    # Only ServiceSettings.load() stays on the primary: get_or_create may write the row.
    assert [q for q in primary.captured_queries if "iro_servicesettings" not in q["sql"]] == []
    # Raw SQL figures (reporting_connection().cursor()) ran there too, not only the ORM's.
    assert len(replica.captured_queries) > len(ids)
    with ON_REPLICA, reporting_reads():
        assert reporting_connection().alias == "replica"


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_report_page_data_targets_and_benchmarks_included_read_from_the_replica():
    care_dataset.build()
    ServiceSettings.load()  # its row made here: load() may write it, so it runs on the primary
    primary, replica = _captured()
    with ON_REPLICA, primary, replica:
        report = build_report(PERIOD, figure_ids=["CLA-01"])
    entries = {f["id"]: f for section in report["sections"] for f in section["figures"]}
    assert entries["CLA-01"]["result"]["value"] == 6
    assert any("reporting_target" in q["sql"] for q in replica.captured_queries)
    assert [q for q in primary.captured_queries if "iro_servicesettings" not in q["sql"]] == []


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_booking_writes_and_reads_on_the_primary():
    chair = make_user(Role.IRO, username="chair")
    child = ChildFactory()
    primary, replica = _captured()
    with ON_REPLICA, primary, replica:
        meeting = meeting_book(
            kind=MeetingKind.CLA_REVIEW,
            chair=chair,
            children=[child],
            starts_at=datetime(2026, 12, 7, 10, tzinfo=ZoneInfo("Europe/London")),
            venue_type="office",
        )
    assert Meeting.objects.filter(pk=meeting.pk, chair=chair).count() == 1
    assert any("INSERT" in q["sql"] for q in primary.captured_queries)
    assert replica.captured_queries == []


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_case_page_reads_from_the_primary(client):
    manager = make_user(Role.TEAM_MANAGER, username="manager")
    child = ChildFactory()
    client.force_login(manager)
    primary, replica = _captured()
    with ON_REPLICA, primary, replica:
        response = client.get(f"/children/{child.pk}/")
    assert response.status_code == 200
    assert child.last_name in response.content.decode()
    assert len(primary.captured_queries) >= 1
    assert replica.captured_queries == []
