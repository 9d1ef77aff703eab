"""Who to tell: team managers of IROs, and how a child is named in a notification."""

from __future__ import annotations

from collections.abc import Iterable

from iro.models import User
from iro.roles import Role, group_name


def all_team_manager_ids() -> list[int]:
    return list(
        User.objects.filter(groups__name=group_name(Role.TEAM_MANAGER), is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def team_manager_ids_for(iro_ids: Iterable[int | None]) -> dict[int | None, list[int]]:
    """{IRO id: [the manager of the IRO's team]}; every team manager when the team has none, or
    when there is no IRO (None), so that nothing due goes unseen."""
    iro_ids = set(iro_ids)
    everyone = None
    managers = dict(
        User.objects.filter(
            pk__in=[i for i in iro_ids if i], team__manager__is_active=True
        ).values_list("pk", "team__manager_id")
    )
    result: dict[int | None, list[int]] = {}
    for iro_id in iro_ids:
        manager = managers.get(iro_id)  # type: ignore[arg-type]
        if manager:
            result[iro_id] = [manager]
        else:
            if everyone is None:
                everyone = all_team_manager_ids()
            result[iro_id] = everyone
    return result


def child_label(child) -> str:
    return f"{child.first_name} {child.last_name} ({child.la_child_id})"


def day(value) -> str:
    return f"{value:%-d %b %Y}"
