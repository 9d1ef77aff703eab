"""The audit logs: every view of a child's record (AccessLog), and every change to who may do
what (AuditEvent: roles added or removed, role change requests and decisions)."""

from __future__ import annotations

from iro.models import AccessLog, AuditEvent


def log_child_access(*, user, child, path: str, action: str = "view") -> AccessLog:
    return AccessLog.objects.create(user=user, child=child, path=path[:300], action=action)


def log_audit_event(*, subject, action: str, detail: str = "", actor=None) -> AuditEvent:
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        subject=subject, action=action, detail=detail[:300], actor=actor
    )


def _request_user():
    """The signed-in user of the request being served, if any (set by simple_history's
    HistoryRequestMiddleware); None in commands and migrations."""
    from simple_history.models import HistoricalRecords

    request = getattr(HistoricalRecords.context, "request", None)
    return getattr(request, "user", None)


def record_group_change(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """m2m_changed receiver on User.groups: every role added or removed, from anywhere (the admin,
    a service, the shell), is written to the audit log with the web user who did it."""
    from django.contrib.auth.models import Group

    from iro.models import User

    if action == "pre_clear":
        if reverse:
            instance._cleared_ids = set(instance.user_set.values_list("pk", flat=True))
        else:
            instance._cleared_ids = set(instance.groups.values_list("pk", flat=True))
        return
    if action == "post_clear":
        pk_set = getattr(instance, "_cleared_ids", set())
        kind = AuditEvent.Action.ROLE_REMOVED
    elif action in ("post_add", "post_remove"):
        kind = (
            AuditEvent.Action.ROLE_ADDED if action == "post_add" else AuditEvent.Action.ROLE_REMOVED
        )
    else:
        return
    if not pk_set:
        return
    actor = _request_user()
    if reverse:  # group.user_set.add(users)
        pairs = [(user, instance) for user in User.objects.filter(pk__in=pk_set)]
    else:
        pairs = [(instance, group) for group in Group.objects.filter(pk__in=pk_set)]
    AuditEvent.objects.bulk_create(
        AuditEvent(
            subject=user,
            action=kind,
            detail=group.name,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for user, group in pairs
    )
