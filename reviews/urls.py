from django.urls import path

from reviews.views import between, calendar, reviews, schedule

app_name = "reviews"

urlpatterns = [
    path("", reviews.review_list, name="list"),
    path("schedule/", schedule.schedule, name="schedule"),
    path("schedule.csv", schedule.schedule_csv, name="schedule_csv"),
    path("calendar/", calendar.calendar_link, name="calendar"),
    path("<int:pk>/", reviews.review_detail, name="detail"),
    path("<int:pk>/book/", reviews.review_book, name="book"),
    path("<int:pk>/reschedule/", reviews.review_reschedule, name="reschedule"),
    path("<int:pk>/cancel/", reviews.review_cancel, name="cancel"),
    path("<int:pk>/outcome/", reviews.review_outcome, name="outcome"),
    path("<int:pk>/preparation/", reviews.review_preparation, name="preparation"),
    path("<int:pk>/record/", reviews.review_milestones, name="milestones"),
    path("<int:pk>/recommendations/add/", reviews.recommendation_add, name="recommendation_add"),
    path(
        "<int:pk>/recommendations/<int:rec_pk>/done/",
        reviews.recommendation_done,
        name="recommendation_done",
    ),
    path("children/<int:child_pk>/", between.child_reviews, name="child"),
    path("children/<int:child_pk>/contacts/add/", between.contact_add, name="contact_add"),
    path("children/<int:child_pk>/midway/add/", between.midway_add, name="midway_add"),
    path("children/<int:child_pk>/monitoring/add/", between.monitoring_add, name="monitoring_add"),
]
