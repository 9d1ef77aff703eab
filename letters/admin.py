"""The templates of the record written to the child, one per age band, kept by administrators.
Profiles, letters and records are not here: a letter and a record name a child, and the
administration pages hold no child's identity."""

from django.contrib import admin

from letters.models import ChildRecordTemplate


@admin.register(ChildRecordTemplate)
class ChildRecordTemplateAdmin(admin.ModelAdmin):
    list_display = ("age_band", "updated_at")
    ordering = ("age_band",)
    readonly_fields = ("age_band",)

    def has_add_permission(self, request):
        return False  # one per age band, written by the data migration

    def has_delete_permission(self, request, obj=None):
        return False
