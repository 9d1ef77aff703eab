from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError

from iro.audit import log_audit_event
from iro.models import (
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
from iro.services import accounts as account_services
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


class ServiceUserCreationForm(forms.ModelForm):
    """A new account has no password: its holder chooses one through the link emailed to them
    when the account is saved, so nobody else ever knows it."""

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields[
            "email"
        ].help_text = "The person's own work address: the link to set their password goes here."

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


class StaffRecordInline(admin.TabularInline):
    """Employment history: FTE and contract by date, start and leave dates (IRO-03, IRO-04)."""

    model = StaffRecord
    extra = 0
    fields = ("valid_from", "valid_to", "fte", "contract", "left_reason")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = ServiceUserChangeForm
    add_form = ServiceUserCreationForm
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "first_name", "last_name", "email")}),
    )
    actions = ["send_password_reset_link"]
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
    # Nobody sets another person's password here: "Send a password reset link" (the action on
    # the list) emails a link to the person's own address (iro.services.accounts).
    readonly_fields = ("password_status", "is_staff", "is_superuser", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password_status")}),
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

    @admin.display(description="Password")
    def password_status(self, obj):
        if obj is None or not obj.pk:
            return ""
        state = "set" if obj.has_usable_password() else "not set yet"
        return (
            f"Password {state}. Administrators do not set passwords: choose "
            '"Send a password reset link" on the list of users to email this person a link to '
            "their own address."
        )

    def user_change_password(self, request, id, form_url=""):
        """Django's form for setting someone else's password: refused to everyone. An
        administrator who could set another administrator's password could sign in as them
        and approve their own role change request."""
        raise PermissionDenied

    @admin.action(description="Send a password reset link to the selected users")
    def send_password_reset_link(self, request, queryset):
        sent = []
        for user in queryset.order_by("username"):
            if user.is_superuser and not request.user.is_superuser:
                self.message_user(
                    request,
                    f"{user.username}: a superuser's account is not changed here.",
                    messages.ERROR,
                )
                continue
            try:
                account_services.password_reset_link_send(user=user, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            except OSError:
                self.message_user(
                    request,
                    f"{user.username}: the email could not be sent; try again later.",
                    messages.ERROR,
                )
            else:
                sent.append(user)
        if sent:
            self.message_user(
                request,
                "Password reset link sent to "
                + ", ".join(f"{u.username} ({u.email})" for u in sent)
                + ".",
                messages.SUCCESS,
            )

    def has_change_permission(self, request, obj=None):
        # A superuser's account (password included) is changed only by a superuser, so nobody
        # reaches superuser powers through the web.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # Account flags, password and roles are written to the audit log by iro.audit's signal
        # receivers, whoever saves the account.
        super().save_model(request, obj, form, change)
        if not change and obj.email:
            try:
                account_services.password_reset_link_send(
                    user=obj, by=request.user, new_account=True
                )
            except (ValidationError, OSError):
                self.message_user(
                    request,
                    f"{obj.username}: the link to set a password could not be sent; use "
                    '"Send a password reset link" later.',
                    messages.WARNING,
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
