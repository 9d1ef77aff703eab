"""How the feedback app plugs into the case core (iro.registry and iro.signals)."""

from iro.registry import NavItem, registry
from iro.signals import meeting_outcome_recorded


def connect() -> None:
    from feedback import panels, services, synthetic

    meeting_outcome_recorded.connect(
        services.on_outcome_recorded, dispatch_uid="feedback.invite_after_outcome"
    )
    registry.add(
        "nav",
        NavItem(
            "Feedback",
            "feedback:answers",
            lambda user: user.has_perm("feedback.view_feedbackresponse"),
            order=60,
            active_prefix="/feedback/",
        ),
    )
    registry.add("outcome_panels", panels.outcome_panel)
    registry.add("synthetic_data", ("feedback", synthetic.generate))
