"""Pages of the case core: children, allocations, caseloads."""

from django.urls import include, path

from iro.views import access_log, allocations, caseloads, children

children_patterns: list = [
    path("", children.child_list_view, name="list"),
    path("new/", children.child_create, name="create"),
    path("<int:pk>/", children.child_detail, name="detail"),
    path("<int:pk>/edit/", children.child_edit, name="edit"),
    path("<int:pk>/care/start/", children.care_start_view, name="care_start"),
    path("<int:pk>/care/change/", children.care_change_view, name="care_change"),
    path("<int:pk>/care/end/", children.care_end_view, name="care_end"),
    path(
        "<int:pk>/episodes/<int:episode_pk>/correct/",
        children.episode_correct_view,
        name="episode_correct",
    ),
    path("<int:pk>/allocate/", allocations.allocate, name="allocate"),
]

allocation_patterns: list = [
    path("unallocated/", allocations.unallocated_list, name="unallocated"),
]

caseload_patterns: list = [
    path("", caseloads.caseload_list, name="list"),
    path("<int:iro_pk>/", caseloads.caseload_detail, name="detail"),
]

urlpatterns = [
    path("children/", include((children_patterns, "children"))),
    path("allocations/", include((allocation_patterns, "allocations"))),
    path("caseloads/", include((caseload_patterns, "caseloads"))),
    path("access-log/", access_log.access_log, name="access_log"),
]
