"""API throttling that does not take the API down with the cache.

DRF's throttles keep their request history in the cache (Redis). If Redis is unreachable, the
stock throttle raises and every API request answers 500. This one lets the request through and
logs a warning instead: the throttle is a guard against overuse, not a reason to refuse work.
"""

import logging

from rest_framework.throttling import UserRateThrottle

logger = logging.getLogger(__name__)


def _cache_errors() -> tuple[type[BaseException], ...]:
    errors: tuple[type[BaseException], ...] = (ConnectionError, TimeoutError)
    try:
        from redis.exceptions import RedisError
    except ImportError:  # the local-memory cache has no redis client
        return errors
    return (*errors, RedisError)


CACHE_ERRORS = _cache_errors()


class ServiceUserRateThrottle(UserRateThrottle):
    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except CACHE_ERRORS as exc:
            logger.warning("API throttle skipped: the cache is unavailable (%s)", exc)
            return True
