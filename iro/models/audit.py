from django.conf import settings
from django.db import models

from iro.roles import Role


class AccessLog(models.Model):
    """Who viewed which child's record, when. Written by iro.audit.log_child_access."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="child_accesses"
    )
    child = models.ForeignKey("iro.Child", on_delete=models.CASCADE, related_name="accesses")
    viewed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    path = models.CharField(max_length=300)
    action = models.CharField(max_length=40, default="view")

    class Meta:
        ordering = ["-viewed_at"]
        indexes = [
            models.Index(fields=["child", "-viewed_at"]),
            models.Index(fields=["user", "-viewed_at"]),
        ]
        permissions = [
            ("view_access_log", "Can read the access log (information governance)"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.action} child {self.child_id} at {self.viewed_at:%Y-%m-%d %H:%M}"


class AuditEvent(models.Model):
    """A change to who may do what: roles granted or removed, role change requests and their
    decisions, accounts created, account flags (active, staff, superuser), passwords set or reset
    (and reset links sent), individual permissions and API tokens. Written by iro.audit (its
    signal receivers catch the change wherever it is made); never edited."""

    class Action(models.TextChoices):
        ROLE_ADDED = "role_added", "Role added"
        ROLE_REMOVED = "role_removed", "Role removed"
        ROLE_REQUESTED = "role_requested", "Role change requested"
        ROLE_APPROVED = "role_approved", "Role change approved"
        ROLE_REJECTED = "role_rejected", "Role change rejected"
        ROLE_REFUSED = "role_refused", "Role change refused"
        ACCOUNT_CHANGED = "account_changed", "Account flags changed"
        ACCOUNT_CREATED = "account_created", "Account created"
        PASSWORD_SET = "password_set", "Password set"
        PASSWORD_RESET_SENT = "password_reset_sent", "Password reset link sent"
        PERMISSION_ADDED = "permission_added", "Permission added"
        PERMISSION_REMOVED = "permission_removed", "Permission removed"
        TOKEN_CREATED = "token_created", "API token created"
        TOKEN_DELETED = "token_deleted", "API token deleted"
        CASE_SYSTEM_SYNC = "case_system_sync", "Case system data synchronised"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events_made",
        help_text="Who made the change (blank: a command or migration, not the web)",
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="audit_events",
        help_text="Whose account changed",
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.subject} ({self.detail}) by {self.actor}"


class RoleChangeStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a second administrator"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class RoleChangeRequest(models.Model):
    """A request to give someone a role that sees children (or that administers the service).

    One administrator asks; a different administrator, who is not the person receiving the role,
    approves or rejects it. Only an approval adds the role (iro.services.roles)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_change_requests"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    reason = models.CharField(max_length=300, help_text="Why this person needs the role")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=RoleChangeStatus.choices, default=RoleChangeStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        permissions = [("decide_rolechangerequest", "Can approve or reject role change requests")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | (
                    ~models.Q(decided_by=models.F("requested_by"))
                    & ~models.Q(decided_by=models.F("user"))
                ),
                name="role_change_decided_by_a_second_person",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(status="pending"),
                name="one_pending_role_change_per_user_and_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} for {self.user} ({self.get_status_display()})"
