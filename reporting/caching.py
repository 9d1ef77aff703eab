"""Computed report data kept in the Django cache (Redis in production, local memory by default).

Entries live for ``reports.CACHE_SECONDS`` (5 minutes); the pages say "figures as at HH:MM" from
the time they were computed. Every key carries a generation, so `invalidate()` drops them all at
once (the "work out again now" button, and publishing a snapshot).
"""

from collections.abc import Callable
from uuid import uuid4

from django.core.cache import cache

from reporting.reports import CACHE_SECONDS

GENERATION_KEY = "reporting:generation"


def _generation() -> str:
    return cache.get_or_set(GENERATION_KEY, lambda: uuid4().hex, None)


def cached(parts: tuple, build: Callable[[], dict], ttl: int = CACHE_SECONDS) -> dict:
    key = "reporting:" + _generation() + ":" + ":".join(str(p) for p in parts)
    data = cache.get(key)
    if data is None:
        data = build()
        cache.set(key, data, ttl)
    return data


def invalidate() -> None:
    cache.set(GENERATION_KEY, uuid4().hex, None)
