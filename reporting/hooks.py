"""How reporting plugs into the case core (iro.registry), called from ReportingConfig.ready()."""

from iro.navigation import url_or_blank as _url
from iro.registry import NavItem, Panel, registry
from iro.roles import Role


def reports_links(user) -> dict:
    """What the reports home offers `user`: groups of links, each shown only if it resolves."""
    from reporting.caching import reporting_years
    from reporting.figures import Period

    groups = []
    if user.has_perm("reporting.view_reports"):
        from django.utils import timezone

        today = timezone.localdate()
        annual = [
            {
                "label": f"IRO annual report {Period.year(y).title}"
                + (" (year in progress)" if Period.year(y).end >= today else ""),
                "url": _url("reporting:annual", y),
            }
            for y in reporting_years()
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
    if user.has_perm("reporting.manage_returns"):
        # Only those who run the returns see them: the pages answer 403 to everyone else.
        from reporting.returns.views import _default_year

        year = _default_year()
        label = f"{year}/{str(year + 1)[-2:]}"
        returns = [
            {"label": "Statutory returns home", "url": _url("reporting:returns-home")},
            {
                "label": f"SSDA903 {label}: check before export",
                "url": _url("reporting:returns-903-check", year),
            },
            {"label": "Import SSDA903 returns", "url": _url("reporting:returns-import")},
            {"label": "Ofsted Annex A lists (XLSX)", "url": _url("reporting:returns-annex-a")},
        ]
        groups.append(
            {
                "key": "returns",
                "title": "Statutory returns",
                "links": [r for r in returns if r["url"]],
            }
        )
    return {"groups": groups}


def reports_panel(request):
    if not request.user.has_perm("reporting.view_reports"):
        return None
    # The performance officer's home is the reports home; managers find it below their work.
    first = request.user.primary_role == Role.PERFORMANCE_OFFICER
    return Panel(
        template="reporting/panels/reports.html",
        context=reports_links(request.user),
        order=5 if first else 90,
    )


def board_panel(request):
    """A board member's home page: the newest published snapshot (latest period covered, then
    latest published), in full, with the earlier ones listed and a link to compare each with it."""
    from reporting.selectors import latest_published, snapshots_for, snapshots_newest_first
    from reporting.suppression import LEGEND
    from reporting.web.snapshots import snapshot_sections_html

    user = request.user
    if not user.has_perm("reporting.view_published"):
        return None
    snapshot = latest_published(user)
    # The earlier ones, newest first, each comparable with the one shown.
    earlier = (
        list(snapshots_newest_first(user).filter(withdrawn=False).exclude(pk=snapshot.pk)[:5])
        if snapshot
        else []
    )
    return Panel(
        template="reporting/panels/board.html",
        context={
            "snapshot": snapshot,
            "sections_html": snapshot_sections_html(snapshot) if snapshot else "",
            "legend": LEGEND,
            "count": snapshots_for(user).count(),
            "earlier": earlier,
        },
        order=5,
    )


DEMO_COMMENTARY = {
    "children_in_care": "The number of children in care is in line with last year. The service "
    "continues to review every child's plan for permanence at each review.",
    "reviews": "Reviews held in timescale remain the service's priority; late reviews are "
    "followed up by the team manager each month.",
}


def demo_snapshot(ctx) -> None:
    """Synthetic data: a board dashboard published by a performance officer (whose job it is),
    so that the board's sign-in shows a real dashboard."""
    from django.utils import timezone

    from iro.models import User
    from iro.roles import group_name
    from reporting.services import snapshot_publish

    publisher = (
        User.objects.filter(groups__name=group_name(Role.PERFORMANCE_OFFICER), is_active=True)
        .order_by("pk")
        .first()
    )
    if publisher is None:
        return
    as_at = min(ctx.today, timezone.localdate())
    snapshot = snapshot_publish(
        kind="dashboard", by=publisher, as_at=as_at, commentary=DEMO_COMMENTARY
    )
    ctx.log(f"reporting: published the board dashboard as at {as_at} (snapshot {snapshot.pk})")


def register() -> None:
    registry.add("synthetic_data", ("reporting", demo_snapshot))
    registry.add("home_panels", board_panel, role=Role.BOARD_MEMBER)
    for role in (Role.PERFORMANCE_OFFICER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE):
        registry.add("home_panels", reports_panel, role=role)
    registry.add(
        "nav",
        NavItem(
            "Reports",
            "reporting:home",
            lambda user: (
                user.has_perm("reporting.view_reports") or user.has_perm("reporting.view_published")
            ),
            order=80,
            active_prefix="/reporting/",
        ),
    )
