"""Primary navigation: each app registers its entries; the shell shows those a user may use."""

from iro.registry import NavItem, registry
from iro.roles import RESPONDER_ROLES, Role


def can_see_children(user) -> bool:
    return user.has_role(Role.IRO, Role.TEAM_MANAGER, Role.PERFORMANCE_OFFICER, *RESPONDER_ROLES)


def register_core_navigation() -> None:
    registry.add("nav", NavItem("Home", "home", lambda user: True, order=0, active_prefix="/$"))
    registry.add(
        "nav",
        NavItem(
            "Children", "children:list", can_see_children, order=20, active_prefix="/children/"
        ),
    )
    registry.add(
        "nav",
        NavItem(
            "Caseloads",
            "caseloads:list",
            lambda user: user.has_role(Role.TEAM_MANAGER),
            order=30,
            active_prefix="/caseloads/",
        ),
    )
    registry.add(
        "nav",
        NavItem(
            "Unallocated",
            "allocations:unallocated",
            lambda user: user.has_role(Role.TEAM_MANAGER),
            order=31,
            active_prefix="/allocations/",
        ),
    )
    registry.add(
        "nav",
        NavItem(
            "Access log",
            "access_log",
            lambda user: user.has_perm("iro.view_access_log"),
            order=89,
            active_prefix="/access-log/",
        ),
    )
    registry.add(
        "nav",
        NavItem(
            "Administration",
            "admin:index",
            lambda user: user.has_role(Role.ADMINISTRATOR) or user.is_superuser,
            order=90,
            active_prefix="/admin/",
        ),
    )


def url_or_blank(name: str, *args, query: str = "") -> str:
    """The address of the page `name` (with `args` and a `query` string), or "" where the URL
    configuration has no such page: the one guard every app's links go through."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return ""


def child_url(child_id: int) -> str:
    """The child record page's address ("" where there is none)."""
    return url_or_blank("children:detail", child_id)


def nav_for(user, path: str) -> list[dict]:
    import re

    from django.urls import NoReverseMatch, reverse

    items = []
    for item in sorted(registry.nav, key=lambda i: i.order):
        if not item.visible(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        prefix = item.active_prefix or url
        active = bool(re.match(prefix if prefix.endswith("$") else re.escape(prefix), path))
        items.append({"label": item.label, "url": url, "active": active})
    return items
