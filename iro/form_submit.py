"""The GET/POST cycle of every form page, one way for every app.

A view binds its form to ``sent(request)`` (what was sent on a POST, nothing on a GET), hands the
save to ``submit(request, form, save)``, and renders the form again when that answers None, with
the status of ``iro.form_fields.form_status`` (400 after a refused send)::

    form = ConcernForm(sent(request), children=children)
    if done := submit(request, form, create):
        return done
    return render(request, template, {"form": form}, status=form_status(form))

``save()`` calls the service and returns the URL to go to. ``submit`` runs it only for a valid
POST; once per form token for a create form (``iro.idempotency``), under the version check of
``guard=(Model, pk)`` for an edit (``iro.concurrency``); and puts a service's ValidationError on
the form (``iro.form_errors.apply_errors``), keeping what was typed, with the record's current
version after a stale save so that saving again, having seen the message, is accepted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect

from iro import concurrency
from iro.form_errors import apply_errors
from iro.idempotency import once


def sent(request: HttpRequest) -> QueryDict | None:
    """The data a form is bound to: the POST data on a POST, None (an unbound form) otherwise."""
    return request.POST if request.method == "POST" else None


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[], str],
    *,
    guard: tuple[type[concurrency.Versioned], int] | None = None,
    field_names: Mapping[str, str] | None = None,
) -> HttpResponse | None:
    """A redirect to the URL `save()` returns, for a valid POST that the service accepted;
    otherwise None, with the service's errors on the form (`field_names` renames a service's
    field names to the form's)."""
    if request.method != "POST" or not form.is_valid():
        return None

    def run() -> str:
        if guard is None:
            return save()
        model, pk = guard
        with concurrency.guard(model, pk, form.cleaned_data.get("version")):
            return save()

    try:
        if "submission_token" in form.fields:
            return once(request, form.cleaned_data.get("submission_token"), run)
        return redirect(run())
    except ValidationError as error:
        apply_errors(form, error, field_names=field_names)
        if concurrency.is_stale(error):
            current = getattr(error, "current_version", None)
            concurrency.keep_typed_with_current_version(form, current)
        return None
