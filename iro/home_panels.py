"""Team manager home panels: children waiting for an IRO, and the caseload summary."""

from django.utils import timezone

from iro import access
from iro.models import ServiceSettings
from iro.registry import Panel, registry
from iro.roles import Role


def unallocated_panel(request) -> Panel:
    from iro.selectors_children import unallocated

    rows = unallocated(access.children_visible_to(request.user), now=timezone.now())
    return Panel(
        "iro/panels/unallocated.html",
        {
            "count": len(rows),
            "overdue": sum(1 for r in rows if r.overdue),
            "target": ServiceSettings.load().allocation_target_hours,
        },
        order=10,
    )


def caseload_panel(request) -> Panel:
    from iro.selectors_caseload import caseload_rows, team_summary
    from iro.teams import manager_team

    settings = ServiceSettings.load()
    rows = list(caseload_rows(on=timezone.localdate(), team=manager_team(request.user)))
    summary = team_summary(rows)
    return Panel(
        "iro/panels/caseloads.html",
        {
            **summary,
            "min": settings.caseload_guidance_min,
            "max": settings.caseload_guidance_max,
            "above": sum(1 for r in rows if r.per_fte > settings.caseload_guidance_max),  # type: ignore[attr-defined, misc]
        },
        order=20,
    )


def register_home_panels() -> None:
    registry.add("home_panels", unallocated_panel, role=Role.TEAM_MANAGER)
    registry.add("home_panels", caseload_panel, role=Role.TEAM_MANAGER)
