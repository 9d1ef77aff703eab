"""The board's home page opens on the newest published snapshot (the latest period covered, then
the latest published), lists the earlier ones newest first and links each to a side-by-side
comparison with it."""

from datetime import date, datetime, timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from reporting import caching
from reporting.services import snapshot_publish
from tests.iro.factories import CareEpisodeFactory, ChildFactory

TZ = timezone.get_default_timezone()


def _publish(by, at: datetime, **kwargs):
    with time_machine.travel(at, tick=False):
        caching.invalidate()
        return snapshot_publish(by=by, suppress_small_numbers=False, **kwargs)


def test_the_board_opens_on_the_newest_period_whatever_the_order_published(
    db, performance_officer, board_member, login
):
    for i in range(8):
        CareEpisodeFactory(
            child=ChildFactory(first_name=f"Home{i}"), start=date(2025, 1, 10) + timedelta(i)
        )
    day = datetime(2026, 12, 1, 9, 0, tzinfo=TZ)
    september = _publish(performance_officer, day, kind="dashboard", as_at=date(2026, 9, 30))
    november = _publish(
        performance_officer, day + timedelta(hours=1), kind="dashboard", as_at=date(2026, 11, 30)
    )
    # Published last but for an earlier month (late papers), then an annual report whose
    # figures are as at the day it was published but cover the year to 31 March 2026.
    october = _publish(
        performance_officer, day + timedelta(hours=2), kind="dashboard", as_at=date(2026, 10, 31)
    )
    annual = _publish(
        performance_officer,
        day + timedelta(hours=3),
        kind="annual",
        year=2025,
        as_at=date(2026, 12, 1),
    )
    client = login(board_member)
    with time_machine.travel(day + timedelta(hours=4), tick=False):
        home = client.get(reverse("home"))
        board = client.get(reverse("reporting:board"))
        listed = list(client.get(reverse("reporting:snapshots")).context["snapshots"])
    panel = next(p for p in home.context["panels"] if p.template.endswith("board.html"))
    assert panel.context["snapshot"] == november
    assert panel.context["earlier"] == [october, september, annual]
    assert board.context["snapshot"] == november
    assert listed == [november, october, september, annual]
    body = home.content.decode()
    assert "figures as at 30 November 2026" in body
    compare = reverse("reporting:snapshot-compare") + f"?a={october.pk}&amp;b={november.pk}"
    assert compare in body
    with time_machine.travel(day + timedelta(hours=4), tick=False):
        rows = client.get(
            reverse("reporting:snapshot-compare"), {"a": october.pk, "b": november.pk}
        ).context["rows"]
    cla = next(r for r in rows if r["id"] == "CLA-01")
    assert (cla["a"], cla["b"]) == ("8", "8")


def test_a_withdrawn_newest_snapshot_gives_way_to_the_one_before(
    db, performance_officer, board_member, login
):
    from reporting.services import snapshot_withdraw

    for i in range(6):
        CareEpisodeFactory(child=ChildFactory(), start=date(2025, 1, 10) + timedelta(i))
    day = datetime(2026, 12, 1, 9, 0, tzinfo=TZ)
    october = _publish(performance_officer, day, kind="dashboard", as_at=date(2026, 10, 31))
    november = _publish(
        performance_officer, day + timedelta(hours=1), kind="dashboard", as_at=date(2026, 11, 30)
    )
    snapshot_withdraw(snapshot=november, by=performance_officer, reason="Wrong figures")
    with time_machine.travel(day + timedelta(hours=2), tick=False):
        home = login(board_member).get(reverse("home"))
    panel = next(p for p in home.context["panels"] if p.template.endswith("board.html"))
    assert (panel.context["snapshot"], panel.context["earlier"]) == (october, [])
