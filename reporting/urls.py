"""Reporting URLs: the annual report and figures, dashboards and snapshots, statutory returns.

Each part keeps its own URL module so that it can grow without touching the others.
"""

from django.urls import include, path

app_name = "reporting"

urlpatterns: list = [
    path("returns/", include("reporting.returns.urls")),
    path("", include("reporting.web.urls")),
]
