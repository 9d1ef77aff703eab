"""The audit logs: every view of a child's record (AccessLog), and every change to who may do
what (AuditEvent): roles added or removed, role change requests and decisions, accounts created,
account flags (active, staff, superuser), passwords set or reset, individual permissions and API
tokens.

The account changes are caught by signal receivers (connected in IroConfig.ready), so a change
is written wherever it is made: the admin, a service, a management command or the shell. The
actor is the signed-in user of the web request, or the one a service names on the instance
(``user._audit_actor``); a service may also say how a password was set (``user._audit_detail``).
"""

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


# The account flags whose every change is written down, with the words for on and off.
FLAG_WORDS = {
    "is_active": ("activated", "deactivated"),
    "is_staff": ("staff status given", "staff status removed"),
    "is_superuser": ("superuser status given", "superuser status removed"),
}


def _actor_for(instance=None):
    actor = getattr(instance, "_audit_actor", None) if instance is not None else None
    if actor is None:
        actor = _request_user()
    return actor if getattr(actor, "is_authenticated", False) else None


def remember_account_flags(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """pre_save receiver on User: keeps the flags as stored, to compare after the save."""
    instance._audit_before = None
    if raw or instance.pk is None or instance._state.adding:
        return
    if update_fields is not None and not set(update_fields) & set(FLAG_WORDS):
        return
    instance._audit_before = sender.objects.filter(pk=instance.pk).values(*FLAG_WORDS).first()


def record_account_change(sender, instance, created, raw=False, **kwargs) -> None:
    """post_save receiver on User: an account created, each flag changed, and a password set
    (``set_password`` before the save; Django's rehash of a stored password at sign-in is not a
    change and is not written)."""
    if raw:
        return
    actor = _actor_for(instance)
    events = []
    password_set = getattr(instance, "_password", None) is not None
    if created:
        flags = [word for field, (word, _) in FLAG_WORDS.items() if getattr(instance, field)]
        detail = ", ".join(flags) or "inactive"
        if password_set:
            detail += "; password set"
        events.append((AuditEvent.Action.ACCOUNT_CREATED, detail))
    else:
        before = getattr(instance, "_audit_before", None) or {}
        for field, (on, off) in FLAG_WORDS.items():
            if field in before and before[field] != getattr(instance, field):
                events.append(
                    (AuditEvent.Action.ACCOUNT_CHANGED, on if getattr(instance, field) else off)
                )
        if password_set:
            detail = getattr(instance, "_audit_detail", "") or (
                "changed by the account holder"
                if actor is not None and actor.pk == instance.pk
                else "set"
            )
            events.append((AuditEvent.Action.PASSWORD_SET, detail))
    instance._audit_before = None
    AuditEvent.objects.bulk_create(
        AuditEvent(subject=instance, action=action, detail=detail[:300], actor=actor)
        for action, detail in events
    )


def record_permission_change(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """m2m_changed receiver on User.user_permissions: every individual permission given or
    taken away, with who did it."""
    from django.contrib.auth.models import Permission

    from iro.models import User

    if action == "pre_clear":
        related = instance.user_set if reverse else instance.user_permissions
        instance._cleared_perm_ids = set(related.values_list("pk", flat=True))
        return
    if action == "post_clear":
        pk_set = getattr(instance, "_cleared_perm_ids", set())
        kind = AuditEvent.Action.PERMISSION_REMOVED
    elif action in ("post_add", "post_remove"):
        kind = (
            AuditEvent.Action.PERMISSION_ADDED
            if action == "post_add"
            else AuditEvent.Action.PERMISSION_REMOVED
        )
    else:
        return
    if not pk_set:
        return
    actor = _actor_for()
    if reverse:  # permission.user_set.add(users)
        pairs = [(user, instance) for user in User.objects.filter(pk__in=pk_set)]
    else:
        perms = Permission.objects.filter(pk__in=pk_set).select_related("content_type")
        pairs = [(instance, perm) for perm in perms]
    AuditEvent.objects.bulk_create(
        AuditEvent(
            subject=user,
            action=kind,
            detail=f"{perm.content_type.app_label}.{perm.codename}",
            actor=actor,
        )
        for user, perm in pairs
    )


def record_token_created(sender, instance, created, raw=False, **kwargs) -> None:
    """post_save receiver on DRF's Token: an API token made for someone."""
    if created and not raw:
        AuditEvent.objects.create(
            subject_id=instance.user_id,
            action=AuditEvent.Action.TOKEN_CREATED,
            detail=f"token ending {instance.key[-4:]}",
            actor=_actor_for(),
        )


def record_token_deleted(sender, instance, **kwargs) -> None:
    """post_delete receiver on DRF's Token: an API token taken away."""
    from iro.models import User

    if User.objects.filter(pk=instance.user_id).exists():
        AuditEvent.objects.create(
            subject_id=instance.user_id,
            action=AuditEvent.Action.TOKEN_DELETED,
            detail=f"token ending {instance.key[-4:]}",
            actor=_actor_for(),
        )
