"""Helpers of the protection pages: permission checks, scoped lookups, forms with service errors."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from iro import concurrency
from iro.access import children_visible_to
from iro.form_errors import apply_errors
from iro.idempotency import once
from protection import selectors
from protection.models import ProtectionPlan


def require_perm(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def conference_or_404(request, pk: int):
    conference = selectors.conferences_for(request.user).filter(pk=pk).first()
    if conference is None:
        raise Http404("No conference found")
    return conference


def plan_or_404(request, pk: int) -> ProtectionPlan:

    plan = (
        ProtectionPlan.objects.filter(child__in=children_visible_to(request.user))
        .select_related("child", "chair", "starting_conference")
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise Http404("No plan found")
    return plan


def run_guarded(form, model, pk: int, call) -> bool:
    """Run `call` (a service) under the version check of iro.concurrency; on refusal put the
    errors on the form (keeping what was typed) and answer False."""
    try:
        with concurrency.guard(model, pk, form.cleaned_data.get("version")):
            call()
    except ValidationError as error:
        apply_errors(form, error)
        if concurrency.is_stale(error):
            concurrency.keep_typed_with_current_version(form, error.current_version)
        return False
    return True


def create_once(request, form, create):
    """Run `create()` (a service call returning the URL to go to) once per form token (see
    iro.idempotency); on refusal put the errors on the form and answer None."""
    try:
        return once(request, form.cleaned_data.get("submission_token"), create)
    except ValidationError as error:
        apply_errors(form, error)
        return None


def form_page(request, form, *, title: str, caption: str = "", back: str = "", intro: str = ""):
    return render(
        request,
        "protection/form.html",
        {"form": form, "title": title, "caption": caption, "back": back, "intro": intro},
        status=400 if form.is_bound and form.errors else 200,
    )


def parse_on(value: str) -> date:
    try:
        return date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()
