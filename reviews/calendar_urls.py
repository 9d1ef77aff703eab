"""The calendar feed lives outside /reviews/ because calendar apps fetch it without signing in."""

from django.urls import path

from reviews.views.calendar import calendar_feed

urlpatterns = [path("feed/<str:token>.ics", calendar_feed, name="calendar_feed")]
