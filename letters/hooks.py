"""How the letters app plugs into the case core (iro.registry)."""

from __future__ import annotations

from django.urls import reverse

from iro.registry import FollowUp, registry
from iro.roles import Role


def record_follow_up(review) -> FollowUp | None:
    """On the CLA review outcome form: save the outcome, then write the record to the child."""
    return FollowUp(
        label="Save and write to the child",
        url=reverse("letters:record_write", args=[review.pk]),
    )


def connect() -> None:
    from letters import demo, panels, synthetic
    from letters.services import letter_for_allocation

    registry.add("allocation_made", letter_for_allocation)
    registry.add("outcome_follow_ups", record_follow_up)
    registry.add("child_sections", panels.child_section)
    registry.add("home_panels", panels.profile_panel, role=Role.IRO)
    registry.add("home_panels", panels.team_profiles_panel, role=Role.TEAM_MANAGER)
    registry.add("demo_data", demo.demo_profiles)
    registry.add("synthetic_data", ("letters", synthetic.generate))
