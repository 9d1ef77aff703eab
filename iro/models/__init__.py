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
from iro.models.postcodes import Postcode
from iro.models.service import ServiceSettings

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
    "Postcode",
    "ResponderLevel",
    "ServiceSettings",
    "SiblingGroup",
    "Team",
    "User",
    "VenueType",
]
