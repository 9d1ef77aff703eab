"""What the feedback app shows on the core's pages (iro.registry)."""

from django.urls import reverse

from feedback import selectors
from iro.registry import Panel


def outcome_panel(request, meeting, child) -> Panel | None:
    """On a review's or conference's page once its outcome is recorded: the way to the links."""
    invitations = list(selectors.invitations_for(request.user).filter(meeting=meeting, child=child))
    if not invitations:
        return None
    return Panel(
        "feedback/panels/outcome.html",
        {
            "total": len(invitations),
            "waiting": sum(1 for i in invitations if i.used_at is None),
            "url": reverse("feedback:meeting", args=[meeting.pk, child.pk]),
        },
        order=50,
    )
