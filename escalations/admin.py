"""The IRP ladder's settings. IRPs and IRO concerns themselves are not in the admin: each names
a child, and the administration pages hold no child's identity; they are read on the service's
own pages, through iro/access.py."""

from django.contrib import admin

from escalations.models import EscalationSettings, StageDefinition


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
