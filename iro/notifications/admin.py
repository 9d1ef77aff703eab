from django.contrib import admin

from iro.notifications.models import RuleRun


@admin.register(RuleRun)
class RuleRunAdmin(admin.ModelAdmin):
    """When each reminder rule ran and what it sent. Read-only: runs are written by the worker."""

    list_display = (
        "rule",
        "schedule",
        "started_at",
        "finished_at",
        "found",
        "sent",
        "what_it_sent",
        "failed",
    )
    list_filter = ("rule", "schedule")
    date_hierarchy = "started_at"
    readonly_fields = [f.name for f in RuleRun._meta.fields]

    @admin.display(description="what it sent")
    def what_it_sent(self, obj: RuleRun) -> str:
        return ", ".join(f"{kind}: {n}" for kind, n in sorted(obj.sent_by_kind.items())) or "-"

    @admin.display(boolean=True, description="failed")
    def failed(self, obj: RuleRun) -> bool:
        return bool(obj.error)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
