"""Checks shared by the concern and IRP services."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from escalations.models import (
    Category,
    PlanContext,
    StageDefinition,
)
from iro.roles import RESPONDER_ROLES, Role
from iro.selectors import child_status_on


def today() -> date:
    return timezone.localdate()


def plan_context_on(child, on: date) -> str:
    """The child's plan on `on` as a PlanContext value (stored, so it is kept as it was)."""
    return PlanContext(child_status_on(child, on).value).value


def check_date(field: str, on: date, not_before: date | None = None, label: str = "") -> None:
    if on > today():
        raise ValidationError({field: "The date must be today or in the past"})
    if not_before is not None and on < not_before:
        raise ValidationError({field: f"The date must be on or after {label}"})


def check_category(category: str, practice_subcategory: str) -> None:
    if category == Category.PRACTICE and not practice_subcategory:
        raise ValidationError({"practice_subcategory": "Select the kind of practice concern"})
    if category != Category.PRACTICE and practice_subcategory:
        raise ValidationError(
            {"practice_subcategory": "Only a practice concern has a kind of practice concern"}
        )


def require_iro(user) -> None:
    if not user.has_role(Role.IRO):
        raise PermissionDenied("Only an IRO can raise concerns and escalations")


def check_responder(stage: StageDefinition, responder, field: str = "responder") -> None:
    if not stage.active:
        raise ValidationError({"stage": "This stage is no longer in use"})
    if (
        responder is None
        or not responder.is_active
        or responder.responder_level != stage.responder_level
        or not responder.has_role(*RESPONDER_ROLES)
    ):
        raise ValidationError(
            {field: f"Choose a responder who is a {stage.get_responder_level_display().lower()}"}
        )
