"""Writes of IRO concerns: raise, resolve, or raise an IRP from one."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from escalations.models import (
    Concern,
    ConcernStatus,
    Escalation,
    StageDefinition,
)
from escalations.services.common import (
    check_category,
    check_date,
    plan_context_on,
    require_iro,
    today,
)
from escalations.services.escalations import escalation_raise
from iro.access import can_see_child


@transaction.atomic
def concern_raise(
    *,
    child,
    raised_by,
    category: str,
    description: str,
    raised_with: str,
    raised_on: date | None = None,
    practice_subcategory: str = "",
) -> Concern:
    require_iro(raised_by)
    if not can_see_child(raised_by, child):
        raise ValidationError({"child": "You can only raise concerns about children you can see"})
    raised_on = raised_on or today()
    check_date("raised_on", raised_on)
    check_category(category, practice_subcategory)
    concern = Concern(
        child=child,
        raised_by=raised_by,
        raised_on=raised_on,
        category=category,
        practice_subcategory=practice_subcategory,
        description=description,
        raised_with=raised_with,
        plan_context=plan_context_on(child, raised_on),
    )
    concern.full_clean()
    concern.save()
    return concern


def _lock_open_concern(concern: Concern, user) -> Concern:
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    from escalations.selectors import is_acting_iro

    if not is_acting_iro(concern, user):
        raise PermissionDenied(
            "Only the IRO who raised the concern, or the child's IRO now, can change it"
        )
    if concern.status != ConcernStatus.OPEN:
        raise ValidationError({"__all__": "This concern is no longer open"})
    return concern


@transaction.atomic
def concern_resolve(*, concern: Concern, user, outcome: str, resolved_on: date | None = None):
    concern = _lock_open_concern(concern, user)
    resolved_on = resolved_on or today()
    check_date("resolved_on", resolved_on, concern.raised_on, "the date it was raised")
    if not outcome.strip():
        raise ValidationError({"outcome": "Enter the outcome"})
    concern.status = ConcernStatus.RESOLVED
    concern.resolved_on = resolved_on
    concern.outcome = outcome
    concern.full_clean()
    concern.save()
    return concern


@transaction.atomic
def concern_escalate(
    *,
    concern: Concern,
    user,
    summary: str,
    outcome_sought: str,
    stage: StageDefinition,
    responder,
    children=None,
    raised_on: date | None = None,
) -> Escalation:
    """Raise an IRP from an open concern: same category, the concern's child (and siblings)."""
    concern = _lock_open_concern(concern, user)
    children = list(children) if children else [concern.child]
    if concern.child not in children:
        raise ValidationError({"children": "The IRP must include the child of the concern"})
    escalation = escalation_raise(
        raised_by=user,
        children=children,
        category=concern.category,
        practice_subcategory=concern.practice_subcategory,
        summary=summary,
        outcome_sought=outcome_sought,
        stage=stage,
        responder=responder,
        raised_on=raised_on or today(),
        source_concern=concern,
    )
    concern.status = ConcernStatus.ESCALATED
    concern.full_clean()
    concern.save()
    return escalation
