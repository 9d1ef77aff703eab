"""Pages of the case core: children, allocations, caseloads."""

from django.urls import include, path

children_patterns: list = []

urlpatterns = [
    path("children/", include((children_patterns, "children"))),
]
