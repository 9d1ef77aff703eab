"""Which team a manager's page is about: the one they chose, else the one they manage."""

from django.shortcuts import get_object_or_404

from iro.models import Team


def manager_team(user) -> Team | None:
    """The team a manager looks after: the one they manage, else their own; None means all.
    Read once per request (iro.request_memo): the home page's panels each ask."""
    from iro.request_memo import memoised

    return memoised(("manager_team", user.pk), lambda: user.managed_teams.first() or user.team)


def team_from_request(request) -> Team | None:
    """`?team=<id>` picks a team, `?team=all` every team; without it, the manager's own team."""
    team_id = request.GET.get("team")
    if team_id == "all":
        return None
    if team_id and team_id.isdigit():
        return get_object_or_404(Team, pk=team_id)
    return manager_team(request.user)
