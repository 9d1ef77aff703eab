"""Values worked out once per request: the service settings row, the manager's team, a user's set
of visible children.

A home page asked for the service settings in four places (each panel reads the guidance or the
lead time): four identical queries. `memoised(key, build)` keeps the first answer for the rest of
the request; RequestMemoMiddleware opens a fresh memo for each request and drops it after, so
nothing outlives the request or passes from one user to another. Outside a request (a Celery
task, a management command, a test calling a function directly) there is no memo and every call
works the value out, as before.

Only values that the request itself does not change belong here; a write that changes one calls
`forget(key)` (ServiceSettings.save does).
"""

import contextvars
from collections.abc import Callable, Hashable

_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("request_memo", default=None)


def memoised[T](key: Hashable, build: Callable[[], T]) -> T:
    """`build()`'s value, worked out once per request (every call outside a request)."""
    memo = _memo.get()
    if memo is None:
        return build()
    if key not in memo:
        memo[key] = build()
    return memo[key]


def forget(key: Hashable) -> None:
    memo = _memo.get()
    if memo is not None:
        memo.pop(key, None)


class RequestMemoMiddleware:
    """A fresh memo for each request (place it near the top: every later layer may use it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
