from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError

from iro.audit import log_audit_event
from iro.models import (
    AccessLog,
    Area,
    AuditEvent,
    RoleChangeRequest,
    RoleChangeStatus,
    ServiceSettings,
    StaffRecord,
    Team,
    User,
)
from iro.roles import needs_approval
from iro.services import roles as role_services


class ServiceUserChangeForm(UserChangeForm):
    """The user form of the admin. Roles that see children (or administer the service) cannot be
    added here: they need a role change request approved by a second administrator. Roles may be
    removed here at once (taking access away needs no second person)."""

    def clean_groups(self):
        groups = self.cleaned_data["groups"]
        before = set(self.instance.groups.all()) if self.instance.pk else set()
        refused = sorted(g.name for g in set(groups) - before if needs_approval(g.name))
        if refused:
            for name in refused:
                log_audit_event(
                    subject=self.instance,
                    action=AuditEvent.Action.ROLE_REFUSED,
                    detail=f"{name}: added on the user page without a second administrator",
                    actor=getattr(self, "request_user", None),
                )
            raise ValidationError(
                "%(roles)s can only be given through a role change request that another "
                "administrator approves.",
                params={"roles": ", ".join(refused)},
            )
        return groups


class StaffRecordInline(admin.TabularInline):
    """Employment history: FTE and contract by date, start and leave dates (IRO-03, IRO-04)."""

    model = StaffRecord
    extra = 0
    fields = ("valid_from", "valid_to", "fte", "contract", "left_reason")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = ServiceUserChangeForm
    list_display = (
        "username",
        "first_name",
        "last_name",
        "team",
        "fte",
        "responder_level",
        "is_active",
    )
    list_filter = ("groups", "team", "responder_level", "is_active")
    # Superuser, staff status and individual permissions are never given from the web: a
    # superuser is created on the server (manage.py createsuperuser), roles are groups.
    readonly_fields = ("is_staff", "is_superuser", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Roles", {"fields": ("is_active", "groups", "is_staff", "is_superuser")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
        ("Service", {"fields": ("job_title", "team", "fte", "line_manager", "responder_level")}),
        ("Workforce monitoring", {"fields": ("sex", "ethnicity")}),
    )
    inlines = [StaffRecordInline]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user
        return form

    def has_change_permission(self, request, obj=None):
        # A superuser's account (password included) is changed only by a superuser, so nobody
        # reaches superuser powers through the web.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data:
            log_audit_event(
                subject=obj,
                action=AuditEvent.Action.ACCOUNT_CHANGED,
                detail="activated" if obj.is_active else "deactivated",
                actor=request.user,
            )


@admin.register(RoleChangeRequest)
class RoleChangeRequestAdmin(admin.ModelAdmin):
    """Ask for a role for someone; a second administrator approves or rejects it (actions)."""

    list_display = ("user", "role", "status", "requested_by", "requested_at", "decided_by")
    list_filter = ("status", "role")
    actions = ["approve", "reject"]
    fields = ("user", "role", "reason")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("user", "role", "reason", "status", "requested_by", "requested_at", "decided_by")

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.fields
        return self.get_readonly_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Created through the service so that the request is validated and audited.
        created = role_services.role_change_request(
            user=obj.user, role=obj.role, reason=obj.reason, requested_by=request.user
        )
        obj.pk = created.pk

    def get_form(self, request, obj=None, **kwargs):
        base = super().get_form(request, obj, **kwargs)

        class RequestForm(base):
            def clean(self):
                data = super().clean()
                user, role = data.get("user"), data.get("role")
                if user and role:
                    if role in user.roles:
                        raise forms.ValidationError(f"{user} already has this role.")
                    pending = RoleChangeRequest.objects.filter(
                        user=user, role=role, status=RoleChangeStatus.PENDING
                    )
                    if pending.exists():
                        raise forms.ValidationError("The same request is already waiting.")
                return data

        return RequestForm

    def _decide(self, request, queryset, service, verb):
        if not request.user.has_perm("iro.decide_rolechangerequest"):
            self.message_user(request, "Your role does not include this.", messages.ERROR)
            return
        done = 0
        for change in queryset:
            try:
                service(change=change, by=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{change}: {' '.join(error.messages)}", messages.ERROR)
        if done:
            self.message_user(request, f"{done} request(s) {verb}.", messages.SUCCESS)

    @admin.action(description="Approve the selected requests (a second administrator)")
    def approve(self, request, queryset):
        self._decide(request, queryset, role_services.role_change_approve, "approved")

    @admin.action(description="Reject the selected requests")
    def reject(self, request, queryset):
        self._decide(request, queryset, role_services.role_change_reject, "rejected")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "subject", "detail", "actor")
    list_filter = ("action",)
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "manager")


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("name", "active")


@admin.register(ServiceSettings)
class ServiceSettingsAdmin(admin.ModelAdmin):
    """Service settings keep no django-simple-history records; the admin's own history page
    (its change log) lists who changed them."""

    def has_add_permission(self, request):
        return not ServiceSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ("viewed_at", "user", "child", "action", "path")
    list_filter = ("action",)
    date_hierarchy = "viewed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
