from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from protection.models import Conference, CoreGroupMeeting, ProtectionPlan, StrategyDiscussion


@admin.register(StrategyDiscussion)
class StrategyDiscussionAdmin(admin.ModelAdmin):
    list_display = ("child", "held_on", "s47_started", "s47_started_on")
    raw_id_fields = ("child", "recorded_by")


@admin.register(Conference)
class ConferenceAdmin(SimpleHistoryAdmin):
    list_display = ("child", "kind", "due", "status", "held_on", "outcome")
    list_filter = ("kind", "status", "outcome")
    raw_id_fields = ("child", "meeting", "strategy_discussion", "plan", "recorded_by")


@admin.register(ProtectionPlan)
class ProtectionPlanAdmin(SimpleHistoryAdmin):
    list_display = ("child", "start", "end", "end_reason", "latest_category", "chair")
    list_filter = ("end_reason", "latest_category")
    raw_id_fields = ("child", "chair", "starting_conference")


@admin.register(CoreGroupMeeting)
class CoreGroupMeetingAdmin(admin.ModelAdmin):
    list_display = ("plan", "held_on")
    raw_id_fields = ("plan", "recorded_by")
