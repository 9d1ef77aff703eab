"""Caseload balance for team managers: per IRO against the guidance, the monthly trend, drill-in."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from iro import access
from iro.models import ServiceSettings, Team
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


@require_safe
@role_required(Role.TEAM_MANAGER)
def caseload_detail(request, iro_pk: int):
    iro = get_object_or_404(iros(), pk=iro_pk)
    today = timezone.localdate()
    children = list(
        iro_caseload_children(iro=iro, on=today, visible=access.children_visible_to(request.user))
    )
    return render(
        request,
        "iro/caseload_detail.html",
        {"iro": iro, "children": children, "today": today},
    )
