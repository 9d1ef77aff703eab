"""Sessions read from the cache (Redis), written to both the cache and the database.

Every signed-in request read its session from PostgreSQL: one query in ten. Django's cached_db
engine reads it from the cache and falls back to the database; this store also

- keeps the session's expiry time beside it in the cache and honours it on reading, so the idle
  timeout is decided by the service's clock, as for a session read from the database, and not
  only by the cache's own expiry;
- keeps working when the cache cannot be reached (Redis down or restarting): the session is
  read from and written to the database alone.

Deleting a session (signing out) still fails while the cache cannot be reached, as Django's
does: a signed-out session must not live on in the cache.
"""

import logging
from datetime import timedelta

from django.contrib.sessions.backends import cached_db
from django.utils import timezone

from iro.throttling import CACHE_ERRORS

logger = logging.getLogger("django.contrib.sessions")

KEY_PREFIX = "iro.sessions."


class SessionStore(cached_db.SessionStore):
    cache_key_prefix = KEY_PREFIX

    def load(self):
        try:
            entry = self._cache.get(self.cache_key)
        except CACHE_ERRORS:
            return self._load_from_db()
        except Exception:  # noqa: BLE001 - as Django's: an invalid key resets the session
            entry = None
        if (
            isinstance(entry, dict)
            and entry.get("expires", 0) > timezone.now().timestamp()
            and isinstance(entry.get("session"), dict)
        ):
            return entry["session"]
        s = self._get_session_from_db()
        if not s:
            return {}
        data = self.decode(s.session_data)
        # The expiry comes from the row: the session being loaded is not there to ask yet
        # (get_expiry_age() without it would load the session again, without end).
        self._cache_session(data, self.get_expiry_age(expiry=s.expire_date))
        return data

    def save(self, must_create=False):
        cached_db.DBStore.save(self, must_create)
        if self.session_key is None:  # nothing was written (an empty session, as Django's)
            return
        self._cache_session(self._session, self.get_expiry_age())

    def _cache_session(self, data: dict, age: int) -> None:
        if age <= 0:
            return
        expires = (timezone.now() + timedelta(seconds=age)).timestamp()
        try:
            self._cache.set(self.cache_key, {"session": data, "expires": expires}, age)  # type: ignore[attr-defined]
        except CACHE_ERRORS as exc:
            logger.warning("Session cache unavailable: %s", exc)

    def _load_from_db(self) -> dict:
        s = self._get_session_from_db()  # type: ignore[attr-defined]
        return self.decode(s.session_data) if s else {}

    def exists(self, session_key):
        try:
            return super().exists(session_key)
        except CACHE_ERRORS:
            return cached_db.DBStore.exists(self, session_key)
