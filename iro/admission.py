"""Admission control: past the knee, answer what can be answered and refuse the rest at once.

Issue 34. A request is refused with 503, `Retry-After` and the "Sorry, the service is busy" page,
before sessions, the database or the view are touched (so a refused POST never half-saves), when:

- it has already waited longer than ADMISSION_QUEUE_BUDGET_MS: its queue time runs from the
  `X-Request-Start` header the proxy sets (`t=<seconds or milliseconds or microseconds since the
  epoch>`, as nginx's `t=${msec}` or Heroku's), or, without it, from the moment this worker read it;
- this process already serves ADMISSION_MAX_IN_FLIGHT requests (gthread workers).

/health/, the sign-in page and static files (ADMISSION_EXEMPT_PATHS) are always served, so the
load balancer and people signing in keep their answers.

A statement cancelled by PostgreSQL's statement_timeout (DB_STATEMENT_TIMEOUT_MS, the request's
deadline) answers the same busy page with 503, not a 500: the view's transaction was rolled back.

The busy page for a POST from a form shows the person's typed values in a form that posts again to
the same address with the same fields and their CSRF token, so nothing typed is lost. Password
fields are never shown again. API requests get a JSON body.
"""

import threading
import time

from django.conf import settings
from django.db import OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

SECRET_FIELDS = ("password", "csrfmiddlewaretoken")


def queue_seconds(request, now: float) -> float:
    """How long the request waited before this process took it (seconds, never negative)."""
    header = request.META.get("HTTP_X_REQUEST_START", "")
    value = header[2:] if header.startswith("t=") else header
    try:
        started = float(value)
    except ValueError:
        return 0.0
    # Seconds, milliseconds or microseconds since the epoch, told apart by their size.
    if started > 1e14:
        started /= 1e6
    elif started > 1e11:
        started /= 1e3
    return max(0.0, now - started)


def _is_secret(name: str) -> bool:
    name = name.lower()
    return any(part in name for part in SECRET_FIELDS)


# Fields the form carries for its own checks (a one-off token, a version, the button): sent again
# but not listed to the person.
TECHNICAL_FIELDS = ("submission_token", "version", "submit", "next")


def _label(name: str) -> str:
    """What the list shows for a field ("" to send it again without listing it)."""
    if name in TECHNICAL_FIELDS:
        return ""
    return name.replace("_", " ").strip().capitalize()


def busy_response(request, reason: str):
    """503 with Retry-After: the GOV.UK busy page, or JSON for the API."""
    retry_after = settings.ADMISSION_RETRY_AFTER_SECONDS
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": "The service is busy. Nothing was saved. Try again in a few seconds."},
            status=503,
        )
    else:
        fields = []
        token = ""
        if request.method == "POST":
            try:
                post = request.POST
            except Exception:  # a body that cannot be read as a form: nothing to show again
                post = {}
            token = post.get("csrfmiddlewaretoken", "") if post else ""
            if post:
                fields = [
                    (name, value, _label(name))
                    for name in post
                    if not _is_secret(name)
                    for value in post.getlist(name)
                ]
        response = render(
            request,
            "503_busy.html",
            {
                "is_post": request.method == "POST",
                "fields": fields,
                "csrf_value": token,
                "retry_after": retry_after,
                "action": request.get_full_path(),
            },
            status=503,
        )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    response["X-Admission"] = reason
    return response


def _is_query_cancelled(exc: BaseException) -> bool:
    if not isinstance(exc, OperationalError):
        return False
    from psycopg import errors

    return isinstance(exc.__cause__, errors.QueryCanceled) or "statement timeout" in str(exc)


class AdmissionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.lock = threading.Lock()
        self.in_flight = 0

    def __call__(self, request):
        if request.path.startswith(settings.ADMISSION_EXEMPT_PATHS):
            return self.get_response(request)
        now = time.time()
        if queue_seconds(request, now) * 1000 > settings.ADMISSION_QUEUE_BUDGET_MS:
            return busy_response(request, "waited")
        with self.lock:
            if self.in_flight >= settings.ADMISSION_MAX_IN_FLIGHT:
                admitted = False
            else:
                admitted = True
                self.in_flight += 1
        if not admitted:
            return busy_response(request, "full")
        try:
            return self.get_response(request)
        finally:
            with self.lock:
                self.in_flight -= 1

    def process_exception(self, request, exception):
        if _is_query_cancelled(exception):
            return busy_response(request, "deadline")
        return None
