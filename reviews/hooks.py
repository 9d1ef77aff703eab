"""How the reviews app plugs into the case core (iro.registry and iro.signals)."""

from iro.registry import NavItem, registry
from iro.roles import Role
from iro.signals import care_episodes_changed, period_of_care_started


def _recompute(sender, child, **kwargs) -> None:
    from reviews.services import reviews_recompute

    reviews_recompute(child=child)


def connect() -> None:
    from iro.meetings import reallocation_hooks
    from iro.models import AllocationRole, MeetingKind
    from reviews import panels, synthetic

    care_episodes_changed.connect(_recompute, dispatch_uid="reviews.recompute_on_episodes")
    period_of_care_started.connect(_recompute, dispatch_uid="reviews.recompute_on_new_period")
    registry.add(
        "nav",
        NavItem(
            "My reviews",
            "reviews:list",
            lambda user: user.has_role(Role.IRO) and not user.has_role(Role.TEAM_MANAGER),
            order=30,
            active_prefix="/reviews/",
        ),
    )
    registry.add(
        "nav",
        NavItem(
            "Schedule",
            "reviews:schedule",
            lambda user: user.has_role(Role.TEAM_MANAGER),
            order=25,
            active_prefix="/reviews/schedule/",
        ),
    )
    registry.add("home_panels", panels.my_work_panel, role=Role.IRO)
    registry.add("home_panels", panels.schedule_panel, role=Role.TEAM_MANAGER)
    registry.add("child_sections", panels.child_section)
    registry.add("timeline", panels.timeline_entries)
    registry.add("meeting_details", panels.meeting_details)
    registry.add("synthetic_data", ("reviews", synthetic.generate))
    # A reallocation of the CLA IRO carries the child's booked reviews to the new IRO.
    listed, move = reallocation_hooks(kinds=[MeetingKind.CLA_REVIEW], role=AllocationRole.CLA)
    registry.add("meetings_to_move", listed)
    registry.add("meetings_on_reallocation", move)
