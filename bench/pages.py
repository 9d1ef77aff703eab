"""The pages to time, each as the role that uses it."""

import statistics
import time

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from iro.models import Allocation, User
from iro.roles import Role, group_name


def reporting_invalidate() -> None:
    """Drop the cached report figures (the reporting app is optional to the case pages)."""
    try:
        from reporting.caching import invalidate
    except ImportError:
        return
    invalidate()


def _user(role: Role) -> User | None:
    users = User.objects.filter(groups__name=group_name(role), is_active=True)
    if role == Role.IRO:
        # The busiest IRO: the largest open caseload.
        busiest = (
            Allocation.objects.filter(end__isnull=True)
            .values("iro")
            .order_by()
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
        if busiest:
            return User.objects.get(pk=busiest["iro"])
    return users.order_by("pk").first()


def _last_complete_year() -> int:
    from django.utils import timezone

    from reporting.figures import Period

    return Period.containing(timezone.localdate()).start.year - 1


# (label, url name, query string or None, role)
PAGES = [
    ("Home: my work", "home", None, Role.IRO),
    ("Home: schedule and caseloads", "home", None, Role.TEAM_MANAGER),
    ("Home: escalation queue", "home", None, Role.HEAD_OF_SERVICE),
    ("Child record", "children:detail", None, Role.IRO),
    ("Children list", "children:list", None, Role.TEAM_MANAGER),
    ("Children list (IRO)", "children:list", None, Role.IRO),
    ("Caseload balance", "caseloads:list", None, Role.TEAM_MANAGER),
    ("Unallocated children", "allocations:unallocated", None, Role.TEAM_MANAGER),
    ("Weekly schedule (own team)", "reviews:schedule", None, Role.TEAM_MANAGER),
    ("Weekly schedule (all teams)", "reviews:schedule", "?team=all", Role.TEAM_MANAGER),
    ("Weekly schedule CSV", "reviews:schedule_csv", None, Role.TEAM_MANAGER),
    ("My reviews", "reviews:list", None, Role.IRO),
    ("My conferences", "protection:my_conferences", None, Role.IRO),
    ("CP plans", "protection:plan_list", None, Role.TEAM_MANAGER),
    ("Escalation queue", "escalations:queue", None, Role.HEAD_OF_SERVICE),
    ("All open escalations", "escalations:all", None, Role.TEAM_MANAGER),
    ("My concerns and escalations", "escalations:mine", None, Role.IRO),
    ("API: children", "child-list", None, Role.TEAM_MANAGER),
    # Reports: cached for 5 minutes, so the warm-up request computes and the timed ones read the
    # cache (budget 300 ms warm); the annual report's uncached cost is `make bench-report`'s.
    ("Reports home", "reporting:home", None, Role.PERFORMANCE_OFFICER),
    # The last complete reporting year: its figures and its rendered sections are cached.
    ("Annual report", "reporting:annual", None, Role.PERFORMANCE_OFFICER),
    ("Monthly scorecard", "reporting:scorecard", None, Role.PERFORMANCE_OFFICER),
    ("Board dashboard (live)", "reporting:board", None, Role.TEAM_MANAGER),
    ("Board dashboard (published)", "reporting:board", None, Role.BOARD_MEMBER),
    ("Published snapshots", "reporting:snapshots", None, Role.BOARD_MEMBER),
]


def _args(name: str, user: User) -> list:
    if name == "reporting:annual":
        return [_last_complete_year()]
    if name == "children:detail":
        # The child of the user's open caseload with the most meetings: the fullest record.
        allocation = (
            Allocation.objects.filter(end__isnull=True, iro=user)
            .annotate(n=Count("child__meetings"))
            .order_by("-n", "child_id")
            .first()
        )
        return [allocation.child_id]
    return []


def run_pages(*, repeat: int, budget_ms: int, scale: str) -> None:
    rows = []
    for label, name, query, role in PAGES:
        user = _user(role)
        if user is None:
            rows.append((label, role.label, "-", "-", "-", "-", "-", "no user", ""))
            continue
        try:
            url = reverse(name, args=_args(name, user)) + (query or "")
        except NoReverseMatch:
            rows.append((label, role.label, "-", "-", "-", "-", "-", "not built", ""))
            continue
        client = Client()
        client.force_login(user)
        # The first request after the report cache is dropped: what a user waits for when nothing
        # is cached (the reports' figures computed; beat's warm_dashboards spares managers this).
        reporting_invalidate()
        started = time.perf_counter()
        client.get(url)  # also the warm-up
        first = (time.perf_counter() - started) * 1000
        timings, cpu = [], []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - cpu_started) * 1000)
        median = statistics.median(timings)
        verdict = "ok" if response.status_code == 200 and median <= budget_ms else "OVER"
        if response.status_code != 200:
            verdict = f"HTTP {response.status_code}"
        rows.append(
            (
                label,
                role.label,
                str(len(queries)),
                f"{first:.0f}",
                f"{median:.0f}",
                f"{max(timings):.0f}",
                f"{statistics.median(cpu):.0f}",
                verdict,
                url,
            )
        )
    header = (
        "page",
        "role",
        "queries",
        "uncached ms",
        "median ms",
        "worst ms",
        "cpu ms",
        f"<= {budget_ms} ms",
        "url",
    )
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"Pages at scale '{scale}', {repeat} requests each after a warm-up")
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)))
