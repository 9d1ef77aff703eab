from django.contrib import admin

from escalations.models import (
    Concern,
    Escalation,
    EscalationChild,
    EscalationEvent,
    EscalationSettings,
    EscalationStage,
    StageDefinition,
)


@admin.register(StageDefinition)
class StageDefinitionAdmin(admin.ModelAdmin):
    """The IRP ladder is configurable: stages, responder levels and response deadlines."""

    list_display = ("order", "name", "responder_level", "response_working_days", "active")
    ordering = ("order",)


@admin.register(EscalationSettings)
class EscalationSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "process_working_days", "auto_escalate_after_working_days")

    def has_add_permission(self, request):
        return not EscalationSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ChildInline(ReadOnlyInline):
    model = EscalationChild


class StageInline(ReadOnlyInline):
    model = EscalationStage


class EventInline(ReadOnlyInline):
    model = EscalationEvent


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    """Read-only: IRPs change only through their services, so every change is an event."""

    list_display = ("pk", "category", "status", "current_stage", "raised_on", "resolved_on")
    list_filter = ("status", "category", "current_stage")
    inlines = [ChildInline, StageInline, EventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Concern)
class ConcernAdmin(admin.ModelAdmin):
    list_display = ("pk", "child", "category", "status", "raised_on")
    list_filter = ("status", "category", "plan_context")
    raw_id_fields = ("child", "raised_by")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
