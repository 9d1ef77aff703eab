"""Writes of IRPs. Every IRP transition locks the escalation row, goes through
the state machine in escalations.rules and is recorded as an EscalationEvent.

Wrong actors get PermissionDenied (403); bad input and refused transitions ValidationError (400).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from escalations import events, rules
from escalations.models import (
    Concern,
    Escalation,
    EscalationAction,
    EscalationChild,
    EscalationEvent,
    EscalationSettings,
    EscalationStage,
    EscalationState,
    OutcomeQuality,
    StageDefinition,
)
from escalations.services.common import (
    check_category,
    check_date,
    check_responder,
    plan_context_on,
    require_iro,
    today,
)
from iro.access import can_see_child


def _record(escalation, *, action, actor, on, from_state, stage=None, note="") -> EscalationEvent:
    return EscalationEvent.objects.create(
        escalation=escalation,
        action=action,
        actor=actor,
        at=timezone.now(),
        on=on,
        from_state=from_state,
        to_state=escalation.status,
        stage=stage,
        note=note,
    )


def _move(escalation: Escalation, action: str) -> str:
    """Apply the state machine; a refused transition is a form-level validation error."""
    try:
        new_state = rules.next_state(escalation.status, action)
    except rules.InvalidTransition:
        raise ValidationError(
            {
                "__all__": f"You cannot do this while the IRP is "
                f"'{EscalationState(escalation.status).label.lower()}'"
            }
        ) from None
    previous = escalation.status
    escalation.status = new_state
    return previous


def _open_stage(escalation: Escalation) -> EscalationStage | None:
    return escalation.stages.filter(closed_on__isnull=True).select_related("definition").first()


def _start_stage(escalation, stage: StageDefinition, responder, on: date) -> EscalationStage:
    row = EscalationStage(
        escalation=escalation,
        definition=stage,
        responder=responder,
        started_on=on,
        response_deadline=rules.stage_response_deadline(on, stage.response_working_days),
    )
    row.full_clean()
    row.save()
    return row


def _lock(escalation: Escalation) -> Escalation:
    """The escalation row, locked and read afresh.

    No select_related here: when the row was changed by a concurrent transaction, PostgreSQL
    re-checks the locked row but not an outer-joined one, so a joined stage can come back NULL
    (the current stage moved under us). The stage is read after the lock instead.
    """
    return Escalation.objects.select_for_update().get(pk=escalation.pk)


def _require_raiser(escalation: Escalation, user) -> None:
    from escalations.selectors import is_acting_iro

    if not is_acting_iro(escalation, user):
        raise PermissionDenied(
            "Only the IRO who raised the IRP, or the child's IRO now, can do this"
        )


@transaction.atomic
def escalation_raise(
    *,
    raised_by,
    children,
    category: str,
    summary: str,
    outcome_sought: str,
    stage: StageDefinition,
    responder,
    practice_subcategory: str = "",
    raised_on: date | None = None,
    source_concern: Concern | None = None,
) -> Escalation:
    """Raise an IRP at any stage of the ladder (the IRO may skip stages)."""
    require_iro(raised_by)
    children = list(children)
    if not children:
        raise ValidationError({"children": "Select at least one child"})
    for child in children:
        if not can_see_child(raised_by, child):
            raise ValidationError(
                {"children": "You can only raise an IRP for children you can see"}
            )
    if len(children) > 1:
        groups = {c.sibling_group_id for c in children}
        if None in groups or len(groups) > 1:
            raise ValidationError(
                {"children": "Children in one IRP must be in the same sibling group"}
            )
    raised_on = raised_on or today()
    check_date("raised_on", raised_on)
    check_category(category, practice_subcategory)
    check_responder(stage, responder)
    settings = EscalationSettings.load()
    escalation = Escalation(
        raised_by=raised_by,
        source_concern=source_concern,
        category=category,
        practice_subcategory=practice_subcategory,
        summary=summary,
        outcome_sought=outcome_sought,
        current_stage=stage,
        raised_on=raised_on,
        process_deadline=rules.process_deadline(raised_on, settings.process_working_days),
    )
    previous = _move(escalation, EscalationAction.RAISE)
    escalation.full_clean(exclude=["source_concern"])
    escalation.save()
    EscalationChild.objects.bulk_create(
        EscalationChild(escalation=escalation, child=c, plan_context=plan_context_on(c, raised_on))
        for c in children
    )
    _start_stage(escalation, stage, responder, raised_on)
    _record(
        escalation,
        action=EscalationAction.RAISE,
        actor=raised_by,
        on=raised_on,
        from_state=previous,
        stage=stage,
        note=summary,
    )
    events.irp_raised(escalation)
    return escalation


@transaction.atomic
def escalation_respond(
    *,
    escalation: Escalation,
    responder,
    response: str,
    resolved: bool = False,
    responded_on: date | None = None,
) -> Escalation:
    """The named responder replies; `resolved` says the matter is resolved (the IRO decides)."""
    escalation = _lock(escalation)
    stage = _open_stage(escalation)
    if (
        stage is None
        or stage.responder_id != responder.pk
        or responder.responder_level != stage.definition.responder_level
    ):
        raise PermissionDenied("Only the named responder of the current stage can respond")
    if not response.strip():
        raise ValidationError({"response": "Enter your response"})
    responded_on = responded_on or today()
    check_date("responded_on", responded_on, stage.started_on, "the stage started")
    action = EscalationAction.PROPOSE_RESOLUTION if resolved else EscalationAction.RESPOND
    previous = _move(escalation, action)
    stage.response = response
    stage.responded_on = responded_on
    stage.proposes_resolution = resolved
    stage.full_clean()
    stage.save()
    escalation.save(update_fields=["status"])
    _record(
        escalation,
        action=action,
        actor=responder,
        on=responded_on,
        from_state=previous,
        stage=stage.definition,
        note=response,
    )
    events.irp_replied(escalation, stage)
    return escalation


def _close_open_stage(escalation: Escalation, on: date) -> None:
    stage = _open_stage(escalation)
    if stage is not None:
        check_date("on", on, stage.started_on, "the current stage started")
        stage.closed_on = on
        stage.save(update_fields=["closed_on"])


@transaction.atomic
def escalation_escalate(
    *,
    escalation: Escalation,
    user,
    stage: StageDefinition,
    responder,
    note: str = "",
    on: date | None = None,
) -> Escalation:
    """The IRO takes the IRP to a later stage (the next one, or skips to a later one)."""
    escalation = _lock(escalation)
    _require_raiser(escalation, user)
    on = on or today()
    previous = _move(escalation, EscalationAction.ESCALATE)
    current = escalation.current_stage
    if not rules.can_move_to_stage(current.order if current else None, stage.order):
        raise ValidationError(
            {
                "stage": f"The IRP is already at stage {current.order}: "
                "choose a later stage than the current one"
            }
        )
    check_responder(stage, responder)
    _close_open_stage(escalation, on)
    _start_stage(escalation, stage, responder, on)
    escalation.current_stage = stage
    escalation.save(update_fields=["status", "current_stage"])
    _record(
        escalation,
        action=EscalationAction.ESCALATE,
        actor=user,
        on=on,
        from_state=previous,
        stage=stage,
        note=note,
    )
    events.irp_escalated(escalation)
    return escalation


@transaction.atomic
def escalation_resolve(
    *,
    escalation: Escalation,
    user,
    outcome_quality: str,
    note: str = "",
    on: date | None = None,
) -> Escalation:
    """The IRO accepts the resolution and records how well it served the child."""
    escalation = _lock(escalation)
    _require_raiser(escalation, user)
    on = on or today()
    previous = _move(escalation, EscalationAction.RESOLVE)
    if outcome_quality not in OutcomeQuality.values or not outcome_quality:
        raise ValidationError({"outcome_quality": "Select how well the issue was resolved"})
    check_date("on", on, escalation.raised_on, "the date it was raised")
    _close_open_stage(escalation, on)
    escalation.resolved_on = on
    escalation.closed_on = on
    escalation.outcome_quality = outcome_quality
    escalation.resolution_note = note
    escalation.full_clean(exclude=["source_concern"])
    escalation.save()
    _record(
        escalation,
        action=EscalationAction.RESOLVE,
        actor=user,
        on=on,
        from_state=previous,
        stage=escalation.current_stage,
        note=note,
    )
    return escalation


@transaction.atomic
def escalation_refer_cafcass(
    *, escalation: Escalation, user, note: str = "", on: date | None = None
) -> Escalation:
    """Refer to Cafcass, possible at any stage; the ladder's open stage closes."""
    escalation = _lock(escalation)
    _require_raiser(escalation, user)
    on = on or today()
    previous = _move(escalation, EscalationAction.REFER_CAFCASS)
    check_date("on", on, escalation.raised_on, "the date it was raised")
    _close_open_stage(escalation, on)
    escalation.cafcass_referred = True
    escalation.cafcass_referred_on = on
    escalation.full_clean(exclude=["source_concern"])
    escalation.save()
    _record(
        escalation,
        action=EscalationAction.REFER_CAFCASS,
        actor=user,
        on=on,
        from_state=previous,
        stage=escalation.current_stage,
        note=note,
    )
    events.irp_referred_cafcass(escalation)
    return escalation


@transaction.atomic
def escalation_withdraw(
    *, escalation: Escalation, user, note: str, on: date | None = None
) -> Escalation:
    escalation = _lock(escalation)
    _require_raiser(escalation, user)
    on = on or today()
    previous = _move(escalation, EscalationAction.WITHDRAW)
    if not note.strip():
        raise ValidationError({"note": "Enter why the IRP is withdrawn"})
    check_date("on", on, escalation.raised_on, "the date it was raised")
    _close_open_stage(escalation, on)
    escalation.closed_on = on
    escalation.full_clean(exclude=["source_concern"])
    escalation.save()
    _record(
        escalation,
        action=EscalationAction.WITHDRAW,
        actor=user,
        on=on,
        from_state=previous,
        stage=escalation.current_stage,
        note=note,
    )
    return escalation
