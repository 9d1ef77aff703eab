"""generate_data and seed_demo: valid histories, realistic counts, demo sign-ins."""

from collections import defaultdict
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from iro.episode_rules import history_problems
from iro.models import (
    Allocation,
    AllocationRequest,
    CareEpisode,
    Child,
    StaffRecord,
    Team,
    User,
)
from iro.registry import registry
from iro.roles import Role
from iro.selectors import children_looked_after_on
from iro.services.episodes import as_rule_episode
from iro.synthetic import SCALES

TODAY = date(2026, 3, 18)


@pytest.fixture
def generated(db, monkeypatch):
    seen = []
    monkeypatch.setattr(registry, "synthetic_data", [("probe", lambda ctx: seen.append(ctx))])
    out = StringIO()
    call_command("generate_data", scale="small", seed=5, today=TODAY, stdout=out)
    return {"contexts": seen, "output": out.getvalue()}


# One sign-in per role that seed_demo makes (and `make run` prints).
DEMO_USERNAMES = [
    "iro",
    "manager",
    "head",
    "responder",
    "performance",
    "board",
    "admin",
    "governance",
]


def test_every_generated_episode_history_passes_the_episode_rules(generated):
    histories = defaultdict(list)
    for episode in CareEpisode.objects.select_related("child"):
        histories[episode.child].append(as_rule_episode(episode))
    assert len(histories) == Child.objects.count() > 50
    for child, episodes in histories.items():
        assert history_problems(episodes, child.date_of_birth) == [], child.la_child_id


def test_the_small_scale_has_about_the_planned_children_in_care(generated):
    in_care = children_looked_after_on(TODAY).count()
    assert 0.6 * SCALES["small"]["in_care"] <= in_care <= 1.4 * SCALES["small"]["in_care"]


def test_children_in_care_have_one_open_allocation_or_wait_for_one(generated):
    in_care = set(children_looked_after_on(TODAY).values_list("pk", flat=True))
    allocated = set(Allocation.objects.filter(end__isnull=True).values_list("child_id", flat=True))
    waiting = set(
        AllocationRequest.objects.filter(fulfilled_at__isnull=True).values_list(
            "child_id", flat=True
        )
    )
    assert len(waiting) == SCALES["small"]["waiting"]
    assert allocated | waiting == in_care and not allocated & waiting


def test_staff_cover_every_role_and_responder_level(generated):
    iros = User.objects.filter(groups__name="IRO")
    assert iros.filter(is_active=True).count() == SCALES["small"]["iros"]
    assert set(
        User.objects.exclude(responder_level="").values_list("responder_level", flat=True)
    ) == {
        "sw_team_manager",
        "head_of_service",
        "assistant_director",
        "director",
    }
    assert all(team.manager.has_role(Role.TEAM_MANAGER) for team in Team.objects.all())


def test_every_iro_has_an_employment_history_and_earlier_iros_have_left(generated):
    iros = User.objects.filter(groups__name="IRO")
    assert not iros.exclude(staff_records__isnull=False).exists()
    current = StaffRecord.objects.filter(valid_to__isnull=True)
    # Every active IRO has exactly one open record, at their current FTE; leavers have none.
    assert sorted(current.values_list("user_id", flat=True)) == sorted(
        iros.filter(is_active=True).values_list("pk", flat=True)
    )
    for record in current.select_related("user"):
        assert record.fte == record.user.fte
    assert not current.filter(user__is_active=False).exists()
    left = iros.filter(is_active=False)
    for user in left:
        assert user.staff_records.exclude(left_reason="").count() == 1


def test_every_allocation_of_a_new_period_answers_a_request_with_its_times(generated):
    requests = AllocationRequest.objects.filter(fulfilled_at__isnull=False)
    assert requests.count() > 100
    for request in requests.select_related("allocation")[:300]:
        assert request.allocation is not None
        assert request.allocation.child_id == request.child_id
        assert request.fulfilled_at >= request.notified_at
    # Allocations go to IROs in post on the day (staff records cover the allocation's start).
    for allocation in Allocation.objects.select_related("iro")[:300]:
        assert allocation.iro.staff_records.filter(valid_from__lte=allocation.start).exists(), (
            allocation
        )


def test_app_generators_run_after_the_core_with_the_scale_parameters(generated):
    (ctx,) = generated["contexts"]
    assert (ctx.scale, ctx.today, ctx.params["in_care"]) == ("small", TODAY, 70)
    assert "probe ..." in generated["output"]


def test_seed_demo_makes_one_sign_in_per_role_and_is_idempotent(db, monkeypatch):
    monkeypatch.setattr(registry, "synthetic_data", [])
    out = StringIO()
    call_command("seed_demo", stdout=out)
    for username in DEMO_USERNAMES:
        assert User.objects.get(username=username).check_password("iro-demo-2026")
    iro = User.objects.get(username="iro")
    assert Allocation.objects.filter(iro=iro, end__isnull=True).count() > 5
    assert iro.team.manager.username == "manager"
    assert User.objects.get(username="head").responder_level == "head_of_service"
    children = Child.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Child.objects.count() == children
    assert "iro-demo-2026" in out.getvalue()


def test_seed_demo_prints_the_sign_in_of_every_demo_account(db, monkeypatch):
    """Every account seed_demo makes is printed, the escalation responder included, on the first
    run and on every later one (`make run` runs it each time)."""
    monkeypatch.setattr(registry, "synthetic_data", [])
    first, again = StringIO(), StringIO()
    call_command("seed_demo", stdout=first)
    call_command("seed_demo", stdout=again)
    made = set(User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True))
    assert len(made) == len(DEMO_USERNAMES)
    for output in (first.getvalue(), again.getvalue()):
        printed = {
            line.split()[0]
            for line in output.split("Demo sign-ins")[1].splitlines()[1:]
            if line.startswith("  ")
        }
        assert printed == made


def test_the_demo_gives_iros_caseloads_near_the_50_to_70_guidance(db, monkeypatch):
    from iro.selectors_caseload import caseload_rows

    monkeypatch.setattr(registry, "synthetic_data", [])
    call_command("generate_data", scale="demo", seed=20260401, today=TODAY, stdout=StringIO())
    per_fte = [row.per_fte for row in caseload_rows(on=TODAY)]
    # Looked-after children only here (no CP plans generated): the mean sits near 50 per FTE,
    # and the demo's child protection children take each IRO into the 50-70 range.
    assert len(per_fte) == SCALES["demo"]["iros"]
    assert 40 <= sum(per_fte) / len(per_fte) <= 70
    assert all(25 <= value <= 85 for value in per_fte)


def _overlapping_meetings() -> int:
    """Pairs of held or booked meetings of one chair that overlap in time: what the service's
    booking check (iro.meetings) refuses."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT COUNT(*) FROM iro_meeting a JOIN iro_meeting b
              ON a.chair_id = b.chair_id AND a.id < b.id
             AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
            WHERE a.status IN ('held', 'booked') AND b.status IN ('held', 'booked')
            """
        )
        return cursor.fetchone()[0]


def test_no_generated_chair_is_in_two_meetings_at_once(db):
    """CLA reviews and CP conferences are generated by different apps for the same chairs: both
    book through the one diary on the context, so none overlap (they did, at 9:00 and 9:30)."""
    from iro.models import Meeting

    call_command("generate_data", scale="small", seed=3, today=TODAY, stdout=StringIO())
    kinds = set(Meeting.objects.values_list("kind", flat=True))
    assert {"cla_review", "icpc", "rcpc"} <= kinds
    assert Meeting.objects.count() > 300
    assert _overlapping_meetings() == 0


def test_the_diary_fills_the_usual_slots_then_the_spare_ones_then_the_evening():
    import random
    from datetime import time

    from django.utils import timezone

    from iro.synthetic.diary import Diary

    diary = Diary()
    day = date(2026, 3, 18)
    starts = [timezone.localtime(diary.book(random.Random(1), 7, day)) for _ in range(14)]
    times = [s.time() for s in starts]
    assert sorted(times[:4]) == [time(9, 30), time(11, 0), time(14, 0), time(15, 30)]
    assert times[4:11] == [
        time(12, 30), time(8, 0), time(17, 0),
        time(18, 30), time(20, 0), time(21, 30), time(23, 0),
    ]  # fmt: skip
    # However full the day, no two of its 90-minute meetings overlap.
    ordered = sorted(starts)
    assert all(b - a >= timedelta(minutes=90) for a, b in zip(ordered, ordered[1:], strict=False))
    # Another chair starts with an empty day.
    assert timezone.localtime(diary.book(random.Random(1), 8, day)).time() in {
        time(9, 30), time(11, 0), time(14, 0), time(15, 30)
    }  # fmt: skip


def test_generated_adoptions_run_to_court_timescales():
    """Seed scorecards: entering care to moving in with adopters 385-500 days, placement order to
    adoption order 189-323 days. Generated adoptions used to run to the period's drawn length
    (about 2,400 days from placement order to adoption order at `la` scale)."""
    import random
    from statistics import mean

    from iro.synthetic.histories import HistoryBuilder, SyntheticChild

    rng = random.Random(4)
    order_to_order, care_to_placed = [], []
    for number in range(3000):
        child = SyntheticChild(
            number=number, sex="F", dob=date(2014, 1, 1) + timedelta(days=number % 900),
            ethnicity="WBRI", uasc=False, family=number, area_index=0,
        )  # fmt: skip
        start = child.dob + timedelta(days=30 + number % 600)
        episodes, end = HistoryBuilder(rng, child, TODAY).period(start)
        if end is None or episodes[-1].reason_ceased not in ("E11", "E12"):
            continue
        placement_order = min(e.start for e in episodes if e.legal_status == "E1")
        placed = min(e.start for e in episodes if e.placement_type in ("A5", "A6"))
        order_to_order.append((end - placement_order).days)
        care_to_placed.append((placed - start).days)
    assert len(order_to_order) >= 50
    assert 150 <= mean(order_to_order) <= 400
    assert 250 <= mean(care_to_placed) <= 600
    assert max(order_to_order) <= 2 * 365


def test_generated_tables_are_stored_in_date_order_as_a_live_service_writes_them(db):
    """The generators write child by child; a live service writes as the work happens. The big
    dated tables are rewritten in date order (CLUSTER), so a reporting year's rows lie together
    (pg_stats' correlation of the date with the physical order is near 1)."""
    from django.db import connection

    call_command("generate_data", scale="small", seed=3, today=TODAY, stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT tablename || '.' || attname, correlation FROM pg_stats
            WHERE (tablename, attname) IN (('reviews_review', 'held_on'),
                                           ('protection_conference', 'held_on'),
                                           ('protection_coregroupmeeting', 'held_on'),
                                           ('iro_careepisode', 'start'))
            """
        )
        correlation = dict(cursor.fetchall())
    assert len(correlation) == 4
    assert all(value > 0.95 for value in correlation.values()), correlation


def test_generate_data_runs_under_the_jobs_statement_timeout_and_puts_back_the_previous(
    db, monkeypatch, settings
):
    """Called from code (seed_demo, tests) the connection carries the web request's timeout;
    the generator's statements (the whole database's ANALYZE) run under the job's."""
    from django.db import connection

    from iro.management.commands import generate_data

    settings.DB_JOB_STATEMENT_TIMEOUT_MS = 0

    def timeout() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout')")
            return cursor.fetchone()[0]

    seen = []
    monkeypatch.setattr(generate_data.Generator, "run", lambda self: seen.append(timeout()))
    monkeypatch.setattr(generate_data.registry, "synthetic_data", [])
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = '4321ms'")
    call_command("generate_data", scale="small", seed=1, stdout=StringIO())
    assert seen == ["0"]
    assert timeout() == "4321ms"
