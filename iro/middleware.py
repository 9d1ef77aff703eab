"""Middleware of the service's own.

- NoStoreForSignedInMiddleware: responses to a signed-in user may carry a child's record:
  browsers and proxies must not keep them (`Cache-Control: no-store`), so the back button after
  sign-out, a shared computer's cache or a proxy never shows one. Static files and the sign-in
  page are unaffected.
- SessionIdleRefreshMiddleware: the idle timeout without a database write on every request.
"""

import time

from django.conf import settings
from django.utils.cache import patch_cache_control

REFRESHED_KEY = "_idle_refreshed"


class NoStoreForSignedInMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class SessionIdleRefreshMiddleware:
    """Push a signed-in session's expiry on, at most once every SESSION_REFRESH_SECONDS.

    The idle timeout (SESSION_COOKIE_AGE) is the session's expiry, set each time the session is
    saved. Saving it on every request (SESSION_SAVE_EVERY_REQUEST) is a write and a commit per
    page view; this saves it only when the last save is older than the refresh interval, so a
    session ends between SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS and SESSION_COOKIE_AGE
    after the last request. It runs before the view, so a sign-out in the view still clears
    the session. Place it after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.interval = settings.SESSION_REFRESH_SECONDS

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(REFRESHED_KEY, 0) >= self.interval:
                request.session[REFRESHED_KEY] = now
        return self.get_response(request)


def mark_session_refreshed(sender, request, user, **kwargs) -> None:
    """Signing in saves the session: count that as its latest refresh (user_logged_in)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[REFRESHED_KEY] = int(time.time())
