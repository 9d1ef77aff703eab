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
    """Children per FTE IRO today in the manager's team (iro.selectors_caseload.caseloads_per_fte,
    the same answer as the caseloads page and IRO-01), and how many IROs are above guidance."""
    from iro.selectors_caseload import caseload_per_fte_on, caseload_rows
    from iro.teams import manager_team

    settings = ServiceSettings.load()
    today = timezone.localdate()
    team = manager_team(request.user)
    figure = caseload_per_fte_on(on=today, team=team)
    above = caseload_rows(on=today, team=team).filter(per_fte__gt=settings.caseload_guidance_max)  # type: ignore[misc]
    return Panel(
        "iro/panels/caseloads.html",
        {
            "figure": figure,
            "on": today,
            "team": team,
            "min": settings.caseload_guidance_min,
            "max": settings.caseload_guidance_max,
            "above": above.count(),
        },
        order=20,
    )


def register_home_panels() -> None:
    registry.add("home_panels", unallocated_panel, role=Role.TEAM_MANAGER)
    registry.add("home_panels", caseload_panel, role=Role.TEAM_MANAGER)
