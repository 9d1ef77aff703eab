"""Role changes with two people: one administrator asks, another approves.

A role that sees children (or that administers the service) is never given by one person: the
request names the person, the role and why; a second administrator, who is not the person
receiving it, approves it, and only then is the role added. Every step is in the audit log.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from iro.audit import log_audit_event
from iro.models import AuditEvent, RoleChangeRequest, RoleChangeStatus, User
from iro.roles import Role, group_name


def _may_decide(user: User) -> bool:
    return user.is_active and user.has_perm("iro.decide_rolechangerequest")


@transaction.atomic
def role_change_request(*, user: User, role: str, reason: str, requested_by: User):
    role = Role(role)
    if not reason.strip():
        raise ValidationError({"reason": "Say why this person needs the role."})
    if role in user.roles:
        raise ValidationError({"role": f"{user} already has the role {role.label}."})
    try:
        with transaction.atomic():
            change = RoleChangeRequest.objects.create(
                user=user, role=role, reason=reason.strip(), requested_by=requested_by
            )
    except IntegrityError:
        raise ValidationError(
            {"role": f"A request for {role.label} for {user} is already waiting."}
        ) from None
    log_audit_event(
        subject=user,
        action=AuditEvent.Action.ROLE_REQUESTED,
        detail=f"{role.label}: {reason.strip()}",
        actor=requested_by,
    )
    return change


def _decide(change: RoleChangeRequest, by: User) -> RoleChangeRequest:
    change = RoleChangeRequest.objects.select_for_update().get(pk=change.pk)
    if change.status != RoleChangeStatus.PENDING:
        raise ValidationError(f"This request was already {change.get_status_display().lower()}.")
    if not _may_decide(by):
        raise ValidationError("Your role does not include deciding role changes.")
    if by.pk == change.requested_by_id:
        raise ValidationError("A second administrator must decide a request you made.")
    if by.pk == change.user_id:
        raise ValidationError("You cannot decide a request to change your own roles.")
    return change


@transaction.atomic
def role_change_approve(*, change: RoleChangeRequest, by: User) -> RoleChangeRequest:
    change = _decide(change, by)
    change.status = RoleChangeStatus.APPROVED
    change.decided_by = by
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    group = Group.objects.get(name=group_name(Role(change.role)))
    log_audit_event(
        subject=change.user,
        action=AuditEvent.Action.ROLE_APPROVED,
        detail=f"{group.name} (asked by {change.requested_by})",
        actor=by,
    )
    change.user.groups.add(group)  # the groups signal logs "role added"
    return change


@transaction.atomic
def role_change_reject(*, change: RoleChangeRequest, by: User) -> RoleChangeRequest:
    change = _decide(change, by)
    change.status = RoleChangeStatus.REJECTED
    change.decided_by = by
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    log_audit_event(
        subject=change.user,
        action=AuditEvent.Action.ROLE_REJECTED,
        detail=change.get_role_display(),
        actor=by,
    )
    return change
