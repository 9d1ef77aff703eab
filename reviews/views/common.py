"""Helpers shared by the reviews views."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render

from iro.form_fields import form_status
from iro.form_submit import sent, submit
from iro.idempotency import already_done


def perm(name: str):
    """403 for a signed-in user without the permission (sign-in itself is enforced globally)."""
    return permission_required(name, raise_exception=True)


def form_page(
    request, *, form_class, template, context, save, success, initial=None, form_kwargs=None
):
    """A reviews form page: on a valid POST call `save(cleaned_data)` (a service) and go to
    `success` (the cycle of iro.form_submit); otherwise show the form."""
    if repeat := already_done(request):
        return repeat
    form = form_class(sent(request), initial=initial, **(form_kwargs or {}))

    def create() -> str:
        data = form.cleaned_data
        data.pop("submission_token", None)
        save(data)
        return success

    if done := submit(request, form, create, field_names=form.service_fields):
        return done
    return render(request, template, {**context, "form": form}, status=form_status(form))
