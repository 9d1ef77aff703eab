"""Passwords of other people: nobody sets them from the web.

An administrator sends a password reset link to the person's own email address; the person
chooses their password on the service's reset page (Django's token generator: the link works
once, and lapses after PASSWORD_RESET_TIMEOUT or when the password changes). A new account gets
no password: its holder sets one through the same link. Setting a password for someone else is
left to the break-glass command (``manage.py set_password``), run on the server, naming the
operator and the reason. Every step is in the audit log (iro.audit).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from iro.audit import log_audit_event
from iro.models import AuditEvent, User


def password_reset_url(user: User) -> str:
    """The one-use link to the reset page for this user (valid until the password changes)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return (settings.SITE_URL or "").rstrip("/") + path


@transaction.atomic
def password_reset_link_send(*, user: User, by: User | None, new_account: bool = False) -> None:
    """Email a password reset link to the user's own address, and write it in the audit log.

    Sent at once rather than queued: the link is a secret, and a queued message would keep it in
    the broker. A failure to send raises, so the administrator is told."""
    if not user.is_active:
        raise ValidationError(f"{user.username}: the account is not active.")
    if not user.email:
        raise ValidationError(f"{user.username}: the account has no email address.")
    context = {
        "user": user,
        "url": password_reset_url(user),
        "service": getattr(settings, "SERVICE_NAME", "") or "IRO service",
        "new_account": new_account,
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    subject = "".join(
        render_to_string("registration/password_reset_subject.txt", context).splitlines()
    )
    body = render_to_string("registration/password_reset_email.txt", context)
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()
    log_audit_event(
        subject=user,
        action=AuditEvent.Action.PASSWORD_RESET_SENT,
        detail=f"to {user.email}" + (" (new account)" if new_account else ""),
        actor=by,
    )


@transaction.atomic
def password_set_break_glass(*, user: User, password: str, operator: str, reason: str) -> None:
    """Set a password from the server's command line (break-glass), naming who did it and why.

    The password is checked by the password validators; the audit log gets the operator and the
    reason (never the password)."""
    operator, reason = operator.strip(), reason.strip()
    if not operator:
        raise ValidationError({"operator": "Name the person running the command."})
    if not reason:
        raise ValidationError({"reason": "Say why the password is set this way."})
    validate_password(password, user)
    user.set_password(password)
    user._audit_detail = f"set from the command line by {operator}: {reason}"  # type: ignore[attr-defined]
    user.save(update_fields=["password"])
