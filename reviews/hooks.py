"""How the reviews app plugs into the case core (iro.registry and iro.signals)."""

from django.urls import NoReverseMatch, reverse

from iro.registry import NavItem, registry
from iro.roles import Role
from iro.signals import care_episodes_changed, period_of_care_started


def _recompute(sender, child, **kwargs) -> None:
    from reviews.services import reviews_recompute

    reviews_recompute(child=child)


def child_url(child_id: int) -> str:
    """The child record page, when the core provides one."""
    try:
        return reverse("children:detail", kwargs={"pk": child_id})
    except NoReverseMatch:
        return ""


def connect() -> None:
    from iro.meetings import reallocation_hooks
    from iro.models import AllocationRole, MeetingKind
    from reviews import panels, synthetic

    care_episodes_changed.connect(_recompute, dispatch_uid="reviews.recompute_on_episodes")
    period_of_care_started.connect(_recompute, dispatch_uid="reviews.recompute_on_new_period")
    if any(item.url_name == "reviews:list" for item in registry.nav):
        return  # ready() ran before (test runners may call it twice)
    registry.nav.append(
        NavItem(
            "My reviews",
            "reviews:list",
            lambda user: user.has_role(Role.IRO) and not user.has_role(Role.TEAM_MANAGER),
            order=30,
            active_prefix="/reviews/",
        )
    )
    registry.nav.append(
        NavItem(
            "Schedule",
            "reviews:schedule",
            lambda user: user.has_role(Role.TEAM_MANAGER),
            order=25,
            active_prefix="/reviews/schedule/",
        )
    )
    registry.add_home_panel(Role.IRO, panels.my_work_panel)
    registry.add_home_panel(Role.TEAM_MANAGER, panels.schedule_panel)
    registry.child_sections.append(panels.child_section)
    registry.timeline.append(panels.timeline_entries)
    registry.meeting_details.append(panels.meeting_details)
    # A reallocation of the CLA IRO carries the child's booked reviews to the new IRO.
    listed, move = reallocation_hooks(kinds=[MeetingKind.CLA_REVIEW], role=AllocationRole.CLA)
    registry.add_meeting_mover("reviews", listed, move)
    registry.synthetic_data.append(("reviews", synthetic.generate))
