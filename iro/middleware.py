"""Responses to a signed-in user may carry a child's record: browsers and proxies must not keep
them (`Cache-Control: no-store`), so the back button after sign-out, a shared computer's cache
or a proxy never shows one. Static files and the sign-in page are unaffected."""

from django.utils.cache import patch_cache_control


class NoStoreForSignedInMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
