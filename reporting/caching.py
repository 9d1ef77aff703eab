"""Computed report data kept in the Django cache (Redis in production, local memory by default).

Entries live for ``reports.CACHE_SECONDS`` (5 minutes); the pages say "figures as at HH:MM" from
the time they were computed. Every key carries a generation, so `invalidate()` drops them all at
once (the "work out again now" button, and publishing a snapshot).

The live board dashboard and the scorecard are kept warm: Celery beat runs `warm_dashboards`
every ``WARM_SECONDS`` (``CELERY_BEAT_SCHEDULE`` in the settings), which works them out again and
replaces the entries before they expire, so no manager waits for the figures to be computed.
"""

import time
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import uuid4

from django.core.cache import cache

from reporting.reports import CACHE_SECONDS

# Beat refreshes the warm entries this often: well inside CACHE_SECONDS, so they never lapse.
WARM_SECONDS = 240

GENERATION_KEY = "reporting:generation"


def _generation() -> str:
    return cache.get_or_set(GENERATION_KEY, lambda: uuid4().hex, None)


# While one request builds an entry, others asking for it wait for that build (up to
# BUILD_WAIT_SECONDS) instead of building the same figures again at the same time: ten managers
# opening the annual report together cost one computation, not ten.
BUILD_WAIT_SECONDS = 60
_POLL_SECONDS = 0.1


def cached(
    parts: tuple, build: Callable[[], Any], ttl: int = CACHE_SECONDS, *, refresh: bool = False
) -> Any:
    """The entry for `parts`, built and stored if missing (or always, with `refresh`)."""
    key = "reporting:" + _generation() + ":" + ":".join(str(p) for p in parts)
    if refresh:
        data = build()
        cache.set(key, data, ttl)
        return data
    data = cache.get(key)
    if data is not None:
        return data
    lock = key + ":building"
    # cache.add is atomic (SET NX in Redis): one caller builds, the others wait for its entry.
    acquired = cache.add(lock, 1, BUILD_WAIT_SECONDS)
    if not acquired:
        deadline = time.monotonic() + BUILD_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(_POLL_SECONDS)
            data = cache.get(key)
            if data is not None:
                return data
            if cache.get(lock) is None:  # the builder failed: build it here
                break
    try:
        data = build()
        cache.set(key, data, ttl)
        return data
    finally:
        if acquired:
            cache.delete(lock)


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
