from django.urls import path

from protection import views

app_name = "protection"

urlpatterns = [
    path("my-conferences/", views.my_conferences, name="my_conferences"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/end/", views.plan_end, name="plan_end"),
    path("plans/<int:pk>/core-groups/add/", views.core_group_add, name="core_group_add"),
    path("conferences/<int:pk>/", views.conference_detail, name="conference_detail"),
    path("conferences/<int:pk>/book/", views.conference_book, name="conference_book"),
    path(
        "conferences/<int:pk>/reschedule/",
        views.conference_reschedule,
        name="conference_reschedule",
    ),
    path("conferences/<int:pk>/cancel/", views.conference_cancel, name="conference_cancel"),
    path("conferences/<int:pk>/outcome/", views.conference_outcome, name="conference_outcome"),
    path("children/<int:child_pk>/", views.child_protection, name="child"),
    path(
        "children/<int:child_pk>/strategy-discussions/add/",
        views.strategy_discussion_add,
        name="strategy_discussion_add",
    ),
    path("children/<int:child_pk>/transfer-in/add/", views.transfer_in_add, name="transfer_in_add"),
]
