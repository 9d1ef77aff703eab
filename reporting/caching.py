"""Computed report data kept in the Django cache (Redis in production, local memory by default).

Entries live for ``reports.CACHE_SECONDS`` (5 minutes); the pages say "figures as at HH:MM" from
the time they were computed. Every key carries a generation, so `invalidate()` drops them all at
once (the "work out again now" button, and publishing a snapshot).

The live board dashboard and the scorecard are kept warm: Celery beat runs `warm_dashboards`
every ``WARM_SECONDS`` (``CELERY_BEAT_SCHEDULE`` in the settings), which works them out again and
replaces the entries before they expire, so no manager waits for the figures to be computed.
"""

import contextlib
import logging
import time
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import uuid4

from django.core.cache import cache

from iro.throttling import CACHE_ERRORS
from reporting.reports import CACHE_SECONDS

logger = logging.getLogger(__name__)

# Beat refreshes the warm entries this often: well inside CACHE_SECONDS, so they never lapse.
WARM_SECONDS = 240

GENERATION_KEY = "reporting:generation"


def _generation() -> str:
    return cache.get_or_set(GENERATION_KEY, lambda: uuid4().hex, None)  # type: ignore[return-value]


# While one request builds an entry, others asking for it wait for that build (up to
# BUILD_WAIT_SECONDS) instead of building the same figures again at the same time: ten managers
# opening the annual report together cost one computation, not ten.
BUILD_WAIT_SECONDS = 60
_POLL_SECONDS = 0.1


def cached(
    parts: tuple, build: Callable[[], Any], ttl: int = CACHE_SECONDS, *, refresh: bool = False
) -> Any:
    """The entry for `parts`, built and stored if missing (or always, with `refresh`).

    If the cache cannot be reached (Redis down or restarting), the figures are worked out on the
    request and not kept: the page is slower, never an error."""
    acquired = False
    try:
        key = "reporting:" + _generation() + ":" + ":".join(str(p) for p in parts)
        if not refresh:
            data = cache.get(key)
            if data is not None:
                return data
            lock = key + ":building"
            # cache.add is atomic (SET NX in Redis): one caller builds, the others wait for it.
            acquired = cache.add(lock, 1, BUILD_WAIT_SECONDS)
            if not acquired:
                data = _wait_for(key, lock)
                if data is not None:
                    return data
    except CACHE_ERRORS as exc:
        logger.warning("Report cache unavailable, figures worked out uncached: %s", exc)
        return build()
    try:
        data = build()
        try:
            cache.set(key, data, ttl)
        except CACHE_ERRORS as exc:
            logger.warning("Report cache unavailable, figures not kept: %s", exc)
        return data
    finally:
        if acquired:
            # If the cache went away meanwhile, the lock expires by itself.
            with contextlib.suppress(*CACHE_ERRORS):
                cache.delete(lock)


def _wait_for(key: str, lock: str) -> Any:
    """Another request is building `key`: its entry once stored, or None if the builder failed
    or took longer than BUILD_WAIT_SECONDS (then the caller builds it)."""
    deadline = time.monotonic() + BUILD_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(_POLL_SECONDS)
        data = cache.get(key)
        if data is not None:
            return data
        if cache.get(lock) is None:  # the builder failed
            return None
    return None


def live_board(today: date, *, refresh: bool = False) -> dict:
    from reporting.dashboard_data import build_board

    return cached(("board", today.isoformat()), lambda: build_board(today), refresh=refresh)


def scorecard(end, *, refresh: bool = False) -> dict:
    from reporting.dashboard_data import build_scorecard

    return cached(("scorecard", end.label), lambda: build_scorecard(end), refresh=refresh)


def annual(period, *, refresh: bool = False) -> dict:
    """The annual report for a reporting year (the page and its downloads read this)."""
    from reporting.annual_data import build_report

    return cached(("annual", period.label), lambda: build_report(period), refresh=refresh)


def warm_dashboards(today: date) -> list[str]:
    """Work out the live board dashboard, the current scorecard and the annual report of the
    last complete reporting year again and store them, so that none is computed on a request."""
    from reporting.dashboard_data import last_complete_month
    from reporting.figures import Period

    end = last_complete_month(today)
    live_board(today, refresh=True)
    scorecard(end, refresh=True)
    year = Period.containing(today).previous()
    annual(year, refresh=True)
    return [f"board {today.isoformat()}", f"scorecard {end.label}", f"annual {year.label}"]


def reporting_years(today: date | None = None) -> list[int]:
    """annual_data.years_with_data, with the first care episode's start kept with the computed
    reports: the reports home and the home pages of reporting roles list the years on every
    visit. A date, no child's data; "work out again" drops it with the rest. With no episodes
    the answer is not kept, so the first one recorded shows at once."""
    from reporting.annual_data import first_episode_start, years_with_data

    def first_as_text() -> str:
        first = first_episode_start()
        return first.isoformat() if first else ""

    kept = cached(("first_episode_start",), first_as_text)
    first = date.fromisoformat(kept) if kept else first_episode_start()
    return years_with_data(today, first_start=first)


def invalidate() -> None:
    """Drop every entry at once (a new generation). If the cache cannot be reached, its entries
    cannot be read either: a Redis that restarts comes back empty."""
    try:
        cache.set(GENERATION_KEY, uuid4().hex, None)
    except CACHE_ERRORS as exc:
        logger.warning("Report cache unavailable, nothing to invalidate: %s", exc)
