from iro.models.allocations import Allocation, AllocationRequest, AllocationRole
from iro.models.audit import AccessLog, AuditEvent, RoleChangeRequest, RoleChangeStatus
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
from iro.models.staff import Contract, StaffRecord
from iro.models.submissions import Submission

__all__ = [
    "AccessLog",
    "AuditEvent",
    "RoleChangeRequest",
    "RoleChangeStatus",
    "Allocation",
    "AllocationRequest",
    "AllocationRole",
    "Area",
    "CareEpisode",
    "Contract",
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
    "StaffRecord",
    "Submission",
    "Team",
    "User",
    "VenueType",
]
