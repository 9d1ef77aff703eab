"""Registry providers: the child record's section and the home page panels."""

from __future__ import annotations

from iro.registry import Panel
from letters import selectors
from reviews.models import Review, ReviewStatus


def child_section(request, child) -> Panel | None:
    """The child's "my IRO" letters and the records of their reviews written to them, with the
    held reviews that have none yet (to write one)."""
    user = request.user
    if not user.has_perm("letters.view_myiroletter"):
        return None
    records = selectors.records_of_child(child)
    written = {r.review_id for r in records}
    to_write = []
    if user.has_perm("letters.change_childrecord"):
        to_write = [
            r
            for r in Review.objects.filter(child=child, status=ReviewStatus.HELD)
            .exclude(pk__in=written)
            .order_by("-held_on", "-pk")[:3]
        ]
    return Panel(
        "letters/panels/child_section.html",
        {
            "child": child,
            "letters": selectors.letters_of_child(child),
            "records": records,
            "to_write": to_write,
        },
        order=35,
    )


def profile_panel(request) -> Panel | None:
    if not request.user.has_perm("letters.change_iroprofile"):
        return None
    return Panel(
        "letters/panels/profile.html", {"profile": selectors.profile_of(request.user)}, order=60
    )


def team_profiles_panel(request) -> Panel | None:
    if not request.user.has_perm("letters.view_iroprofile"):
        return None
    iros = list(selectors.team_iros(request.user))
    missing = sum(1 for i in iros if not hasattr(i, "iro_profile"))
    return Panel(
        "letters/panels/team_profiles.html", {"count": len(iros), "missing": missing}, order=60
    )
