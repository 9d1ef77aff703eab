"""Allocating IROs: the unallocated list and the allocate/reallocate page."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from iro import access
from iro.form_fields import form_status
from iro.form_submit import sent, submit
from iro.forms import AllocateForm
from iro.idempotency import already_done
from iro.models import Allocation, AllocationRole, ServiceSettings
from iro.permissions import role_required
from iro.roles import Role
from iro.selectors_caseload import suggest_iro
from iro.selectors_children import unallocated
from iro.services.allocations import allocation_allocate
from iro.teams import manager_team
from iro.views.children import require_perm


@require_safe
@role_required(Role.TEAM_MANAGER)
def unallocated_list(request):
    rows = unallocated(access.children_visible_to(request.user), now=timezone.now())
    return render(
        request,
        "iro/unallocated.html",
        {
            "rows": rows,
            "target": ServiceSettings.load().allocation_target_hours,
            "overdue": sum(1 for r in rows if r.overdue),
        },
    )


@role_required(Role.TEAM_MANAGER)
def allocate(request, pk: int):
    require_perm(request.user, "iro.manage_allocations")
    child = access.get_visible_child_or_404(request.user, pk=pk)
    if repeat := already_done(request):
        return repeat
    role = request.POST.get("role") or request.GET.get("role") or AllocationRole.CLA
    if role not in AllocationRole.values:
        role = AllocationRole.CLA
    today = timezone.localdate()
    suggestion = suggest_iro(child=child, role=role, on=today, team=manager_team(request.user))
    current = (
        Allocation.objects.filter(child=child, role=role, end__isnull=True)
        .select_related("iro")
        .first()
    )
    # The suggestion is shown beside the choices, never preselected: the manager chooses.
    form = AllocateForm(
        sent(request), initial={"role": role, "start": today}, suggestion=suggestion
    )

    def create() -> str:
        data = dict(form.cleaned_data)
        data.pop("submission_token", None)
        allocation_allocate(child=child, by=request.user, **data)
        messages.success(request, f"{data['iro']} allocated to {child.full_name}.")
        return reverse("children:detail", args=[child.pk])

    if done := submit(request, form, create):
        return done
    return render(
        request,
        "iro/allocate.html",
        {
            "form": form,
            "child": child,
            "suggestion": suggestion,
            "current": current,
            "role_label": AllocationRole(role).label,
        },
        status=form_status(form),
    )
