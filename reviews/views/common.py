"""Helpers shared by the reviews views."""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import render

from iro import concurrency
from iro.form_errors import apply_errors
from iro.idempotency import already_done, once


def perm(name: str):
    """403 for a signed-in user without the permission (sign-in itself is enforced globally)."""
    return permission_required(name, raise_exception=True)


def form_page(
    request, *, form_class, template, context, save, success, initial=None, form_kwargs=None
):
    """The usual GET/POST cycle: on POST validate the form, call `save(cleaned_data)` (a service),
    show its ValidationError on the form, or redirect to `success`."""
    form_kwargs = form_kwargs or {}
    if request.method == "POST":
        if repeat := already_done(request):
            return repeat
        form = form_class(request.POST, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            token = data.pop("submission_token", None)

            def create() -> str:
                save(data)
                return success

            try:
                return once(request, token, create)
            except ValidationError as error:
                apply_errors(form, error, field_names=form.service_fields)
                if concurrency.is_stale(error):
                    concurrency.keep_typed_with_current_version(form, error.current_version)
    else:
        form = form_class(initial=initial, **form_kwargs)
    status = 400 if form.errors else 200
    return render(request, template, {**context, "form": form}, status=status)
