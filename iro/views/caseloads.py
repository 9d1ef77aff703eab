"""Caseload balance for team managers: per IRO against the guidance, the monthly trend, drill-in."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from iro import access
from iro.form_submit import sent
from iro.models import ServiceSettings, Team, User
from iro.permissions import role_required
from iro.roles import Role
from iro.selectors_caseload import (
    caseload_per_fte_on,
    caseload_rows,
    caseloads_by_month,
    guidance_band,
    iro_caseload_children,
    iros,
)
from iro.selectors_reallocation import caseload_changes, reallocation_plan
from iro.services import allocations as services
from iro.teams import team_from_request

CHART_WIDTH = 600
BAR_HEIGHT = 22


def chart(rows, settings) -> dict:
    """Bar geometry for the inline SVG: one bar per IRO, guidance range marked."""
    rows = [r for r in rows if r.per_fte is not None]
    top = max([r.per_fte for r in rows] + [settings.caseload_guidance_max * 1.2, 1])
    scale = (CHART_WIDTH - 200) / top
    bars = []
    for i, row in enumerate(rows):
        bars.append(
            {
                "y": i * (BAR_HEIGHT + 6) + 24,
                "width": round(row.per_fte * scale, 1),
                "label": str(row),
                "value": round(row.per_fte, 1),
                "over": row.per_fte > settings.caseload_guidance_max,
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": len(rows) * (BAR_HEIGHT + 6) + 40,
        "bars": bars,
        "bar_height": BAR_HEIGHT,
        "min_x": round(180 + settings.caseload_guidance_min * scale, 1),
        "max_x": round(180 + settings.caseload_guidance_max * scale, 1),
    }


@require_safe
@role_required(Role.TEAM_MANAGER)
def caseload_list(request):
    today = timezone.localdate()
    team = team_from_request(request)
    settings = ServiceSettings.load()
    rows = list(caseload_rows(on=today, team=team))
    for row in rows:
        row.band = guidance_band(row.per_fte, settings)
    return render(
        request,
        "iro/caseloads.html",
        {
            "rows": rows,
            "team": team,
            "teams": list(Team.objects.all()),
            "settings": settings,
            "summary": caseload_per_fte_on(on=today, team=team),
            "months": caseloads_by_month(today=today, team=team),
            "chart": chart(rows, settings),
            "today": today,
        },
    )


class ReallocateForm(forms.Form):
    """Children ticked on an IRO's caseload, the IRO or IROs to move them to, and why."""

    children = forms.MultipleChoiceField(
        label="Children to reallocate",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one child to reallocate."},
    )
    to_iros = forms.ModelMultipleChoiceField(
        label="Move them to",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose one IRO, or several to share the children out by caseload per FTE.",
        error_messages={"required": "Choose the IRO or IROs to move the children to."},
    )
    siblings_together = forms.BooleanField(
        label="Move brothers and sisters on this caseload together", required=False, initial=True
    )
    reason = forms.CharField(
        label="Reason for the change of IRO",
        max_length=200,
        error_messages={"required": "Enter the reason for the change of IRO."},
    )

    def __init__(self, *args, from_iro, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].choices = [(str(c.pk), c.full_name) for c in children]
        self.fields["to_iros"].queryset = (
            iros().exclude(pk=from_iro.pk).order_by("last_name", "first_name", "pk")
        )
        self.fields["to_iros"].label_from_instance = lambda u: f"{u} ({u.fte} FTE)"


def _plan_from(request, iro, form, today):
    fixed = {}
    for key, value in request.POST.items():
        if key.startswith("move_") and value.isdigit() and key[5:].isdigit():
            fixed[int(key[5:])] = int(value)
    return reallocation_plan(
        from_iro=iro,
        child_ids=[int(i) for i in form.cleaned_data["children"]],
        to_iros=list(form.cleaned_data["to_iros"]),
        on=today,
        visible=access.children_visible_to(request.user),
        siblings_together=form.cleaned_data["siblings_together"],
        fixed=fixed or None,
    )


@role_required(Role.TEAM_MANAGER)
def caseload_detail(request, iro_pk: int):
    """An IRO's caseload; ticking children and choosing IROs previews the caseloads per FTE the
    move would leave, and confirming applies it as one change (allocations_reallocate)."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    iro = get_object_or_404(iros(), pk=iro_pk)
    today = timezone.localdate()
    children = list(
        iro_caseload_children(iro=iro, on=today, visible=access.children_visible_to(request.user))
    )
    form = ReallocateForm(
        sent(request),
        from_iro=iro,
        children=children,
        initial={"siblings_together": True},
    )
    context = {"iro": iro, "children": children, "today": today, "form": form}
    if request.method != "POST":
        return render(request, "iro/caseload_detail.html", context)
    if not form.is_valid():
        return render(request, "iro/caseload_detail.html", context, status=400)
    plan = _plan_from(request, iro, form, today)
    if request.POST.get("action") == "confirm":
        keep = {int(v) for v in request.POST.getlist("meetings") if v.isdigit()}
        offered = {m.meeting_id for move in plan for m in move.meetings}
        try:
            services.allocations_reallocate(
                from_iro=iro,
                moves=[(move.child, move.to_iro) for move in plan],
                reason=form.cleaned_data["reason"],
                by=request.user,
                start=today,
                meeting_ids=keep & offered,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return render(request, "iro/caseload_detail.html", context, status=400)
        messages.success(
            request,
            f"{len(plan)} child{'ren' if len(plan) != 1 else ''} reallocated from {iro}.",
        )
        return redirect("caseloads:detail", iro_pk=iro.pk)
    return render(
        request,
        "iro/reallocate_confirm.html",
        {
            **context,
            "plan": plan,
            "changes": caseload_changes(from_iro=iro, plan=plan, on=today),
            "settings": ServiceSettings.load(),
        },
    )
