"""API for concerns and IRPs with the stage actions. Scoped as the pages (escalations.selectors);
the services validate, and their ValidationError becomes a 400 with field errors."""

from escalations.api.concerns import ConcernViewSet
from escalations.api.escalations import EscalationViewSet

__all__ = ["ConcernViewSet", "EscalationViewSet"]
