"""Which team a manager's page is about: the one they chose, else the one they manage."""

from django.shortcuts import get_object_or_404

from iro.models import Team


def managed_teams(user) -> list[Team]:
    """The teams `user` manages, by name. Read once per request (iro.request_memo): the home
    page's panels, the letters app's team list and the access rules each ask."""
    from iro.request_memo import memoised

    return memoised(("managed_teams", user.pk), lambda: list(user.managed_teams.order_by("name")))


def managed_team_ids(user) -> list[int]:
    return [t.pk for t in managed_teams(user)]


def manager_team(user) -> Team | None:
    """The team a manager looks after: the one they manage (the first by name), else their own;
    None means all."""
    teams = managed_teams(user)
    return teams[0] if teams else user.team


def team_from_request(request) -> Team | None:
    """`?team=<id>` picks a team, `?team=all` every team; without it, the manager's own team."""
    team_id = request.GET.get("team")
    if team_id == "all":
        return None
    if team_id and team_id.isdigit():
        return get_object_or_404(Team, pk=team_id)
    return manager_team(request.user)
