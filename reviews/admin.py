from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reviews.models import IroContact, MidwayReview, MonitoringCheck, Recommendation, Review


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = ("child", "sequence", "due_date", "status", "held_on", "participation")
    list_filter = ("status", "sequence", "participation")
    search_fields = ("child__la_child_id",)
    raw_id_fields = ("child", "meeting", "outcome_recorded_by")
    inlines = [RecommendationInline]


@admin.register(IroContact, MidwayReview, MonitoringCheck)
class BetweenReviewsAdmin(admin.ModelAdmin):
    raw_id_fields = ("child", "iro")
