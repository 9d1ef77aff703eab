"""A limit on how often one address may open or send the public feedback form.

The form needs no sign-in, so it is the one page a stranger can call at will: each address gets
`FEEDBACK_FORM_RATE` requests (default 30 a minute), counted in the cache by DRF's throttle; a
cache that is down lets requests through (iro.throttling), as for the API.
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from iro.throttling import CACHE_ERRORS


class FeedbackFormThrottle(SimpleRateThrottle):
    scope = "feedback_form"

    def get_rate(self) -> str:
        return getattr(settings, "FEEDBACK_FORM_RATE", "30/minute")

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def allowed(request) -> bool:
    throttle = FeedbackFormThrottle()
    try:
        return throttle.allow_request(request, None)
    except CACHE_ERRORS:
        return True
