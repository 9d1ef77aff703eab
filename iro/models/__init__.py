from iro.models.allocations import Allocation, AllocationRequest, AllocationRole
from iro.models.audit import AccessLog
from iro.models.children import Area, Child, SiblingGroup
from iro.models.episodes import CareEpisode, PlacementLocation
from iro.models.meetings import (
    Meeting,
    MeetingChange,
    MeetingChangeAction,
    MeetingKind,
    MeetingStatus,
    VenueType,
)
from iro.models.people import ResponderLevel, Team, User
from iro.models.service import ServiceSettings
from iro.models.submissions import Submission

__all__ = [
    "AccessLog",
    "Allocation",
    "AllocationRequest",
    "AllocationRole",
    "Area",
    "CareEpisode",
    "Child",
    "Meeting",
    "MeetingChange",
    "MeetingChangeAction",
    "MeetingKind",
    "MeetingStatus",
    "PlacementLocation",
    "ResponderLevel",
    "ServiceSettings",
    "SiblingGroup",
    "Submission",
    "Team",
    "User",
    "VenueType",
]
