"""Sessions read from the cache (Redis), written to both the cache and the database.

Every signed-in request read its session from PostgreSQL: one query in ten. Django's cached_db
engine reads it from the cache and falls back to the database; this store also keeps working
when the cache cannot be reached (Redis down or restarting): the session is read from and
written to the database alone. Deleting a session (signing out) still fails while the cache
cannot be reached, as Django's does: a signed-out session must not live on in the cache.
"""

import logging

from django.contrib.sessions.backends import cached_db

from iro.throttling import CACHE_ERRORS

logger = logging.getLogger("django.contrib.sessions")


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except CACHE_ERRORS:
            return self._load_from_db()
        except Exception:  # noqa: BLE001 - as Django's: an invalid key resets the session
            data = None
        if data is not None:
            return data
        data = self._load_from_db()
        if data:
            try:
                self._cache.set(self.cache_key, data, self.get_expiry_age())
            except CACHE_ERRORS as exc:
                logger.warning("Session cache unavailable: %s", exc)
        return data

    def _load_from_db(self) -> dict:
        s = self._get_session_from_db()
        return self.decode(s.session_data) if s else {}

    def exists(self, session_key):
        try:
            return super().exists(session_key)
        except CACHE_ERRORS:
            return cached_db.DBStore.exists(self, session_key)
