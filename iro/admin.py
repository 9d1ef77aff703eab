from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from iro.models import AccessLog, Area, ServiceSettings, StaffRecord, Team, User


class StaffRecordInline(admin.TabularInline):
    """Employment history: FTE and contract by date, start and leave dates (IRO-03, IRO-04)."""

    model = StaffRecord
    extra = 0
    fields = ("valid_from", "valid_to", "fte", "contract", "left_reason")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Service", {"fields": ("job_title", "team", "fte", "line_manager", "responder_level")}),
        ("Workforce monitoring", {"fields": ("sex", "ethnicity")}),
    )
    inlines = [StaffRecordInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "manager")


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("name", "active")


@admin.register(ServiceSettings)
class ServiceSettingsAdmin(SimpleHistoryAdmin):
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
