"""How reporting plugs into the case core (iro.registry), called from ReportingConfig.ready()."""

from django.urls import NoReverseMatch, reverse

from iro.registry import NavItem, Panel, registry
from iro.roles import Role


def _url(name: str, *args, query: str = "") -> str:
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return ""


def reports_links(user) -> dict:
    """What the reports home offers `user`: groups of links, each shown only if it resolves."""
    from reporting.annual import years_with_data
    from reporting.figures import Period

    groups = []
    if user.has_perm("reporting.view_reports"):
        annual = [
            {
                "label": f"IRO annual report {Period.year(y).title}",
                "url": _url("reporting:annual", y),
            }
            for y in years_with_data()
        ]
        groups.append(
            {
                "key": "annual",
                "title": "Annual reports",
                "links": annual,
                "empty": "There are no records yet, so there is no year to report on.",
            }
        )
        dashboards = [
            {"label": "Monthly scorecard (rolling 13 months)", "url": _url("reporting:scorecard")},
            {"label": "Board dashboard (live figures)", "url": _url("reporting:board")},
            {"label": "Published snapshots", "url": _url("reporting:snapshots")},
        ]
        groups.append(
            {
                "key": "dashboards",
                "title": "Dashboards",
                "links": [d for d in dashboards if d["url"]],
            }
        )
    elif user.has_perm("reporting.view_published"):
        groups.append(
            {
                "key": "dashboards",
                "title": "Dashboards",
                "links": [
                    d
                    for d in [
                        {"label": "Board dashboard", "url": _url("reporting:board")},
                        {"label": "Published snapshots", "url": _url("reporting:snapshots")},
                    ]
                    if d["url"]
                ],
            }
        )
    if user.has_perm("protection.view_cp_panel_lists"):
        panel = [
            {
                "label": "Child protection plans of 15 months or more",
                "url": _url("protection:plan_list", query="duration=15"),
            },
            {
                "label": "Second or subsequent child protection plans",
                "url": _url("protection:plan_list", query="subsequent=ever"),
            },
        ]
        groups.append(
            {"key": "panels", "title": "Panel lists", "links": [p for p in panel if p["url"]]}
        )
    if user.has_perm("reporting.manage_returns") or user.has_perm("reporting.view_reports"):
        returns = _url("reporting:returns-home")
        groups.append(
            {
                "key": "returns",
                "title": "Statutory returns",
                "links": [{"label": "Statutory returns", "url": returns}] if returns else [],
                "empty": "Statutory returns (SSDA903, CIN census, Ofsted Annex A) will be here.",
            }
        )
    return {"groups": groups}


def reports_panel(request):
    if not request.user.has_perm("reporting.view_reports"):
        return None
    return Panel(
        template="reporting/panels/reports.html", context=reports_links(request.user), order=5
    )


def register() -> None:
    for role in (Role.PERFORMANCE_OFFICER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE):
        registry.add_home_panel(role, reports_panel)
    registry.nav.append(
        NavItem(
            "Reports",
            "reporting:home",
            lambda user: user.has_perm("reporting.view_reports"),
            order=80,
            active_prefix="/reporting/",
        )
    )
