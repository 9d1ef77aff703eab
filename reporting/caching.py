"""Computed report data kept in the Django cache (Redis in production, local memory by default).

Entries live for ``reports.CACHE_SECONDS`` (5 minutes); the pages say "figures as at HH:MM" from
the time they were computed. Every key carries a generation, so `invalidate()` drops them all at
once (the "work out again now" button, and publishing a snapshot).

The live board dashboard and the scorecard are kept warm: Celery beat runs `warm_dashboards`
every ``WARM_SECONDS`` (``CELERY_BEAT_SCHEDULE`` in the settings), which works them out again and
replaces the entries before they expire, so no manager waits for the figures to be computed.
"""

from collections.abc import Callable
from datetime import date
from uuid import uuid4

from django.core.cache import cache

from reporting.reports import CACHE_SECONDS

# Beat refreshes the warm entries this often: well inside CACHE_SECONDS, so they never lapse.
WARM_SECONDS = 240

GENERATION_KEY = "reporting:generation"


def _generation() -> str:
    return cache.get_or_set(GENERATION_KEY, lambda: uuid4().hex, None)


def cached(
    parts: tuple, build: Callable[[], dict], ttl: int = CACHE_SECONDS, *, refresh: bool = False
) -> dict:
    """The entry for `parts`, built and stored if missing (or always, with `refresh`)."""
    key = "reporting:" + _generation() + ":" + ":".join(str(p) for p in parts)
    data = None if refresh else cache.get(key)
    if data is None:
        data = build()
        cache.set(key, data, ttl)
    return data


def live_board(today: date, *, refresh: bool = False) -> dict:
    from reporting.dashboards import build_board

    return cached(("board", today.isoformat()), lambda: build_board(today), refresh=refresh)


def scorecard(end, *, refresh: bool = False) -> dict:
    from reporting.dashboards import build_scorecard

    return cached(("scorecard", end.label), lambda: build_scorecard(end), refresh=refresh)


def warm_dashboards(today: date) -> list[str]:
    """Work out the live board dashboard and the current scorecard again and store them."""
    from reporting.dashboards import last_complete_month

    end = last_complete_month(today)
    live_board(today, refresh=True)
    scorecard(end, refresh=True)
    return [f"board {today.isoformat()}", f"scorecard {end.label}"]


def invalidate() -> None:
    cache.set(GENERATION_KEY, uuid4().hex, None)
