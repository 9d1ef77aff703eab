"""Helpers of the protection pages: permission checks, scoped lookups, forms with service errors."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from iro.access import children_visible_to
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
