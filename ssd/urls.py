from django.urls import path

from ssd import views

app_name = "ssd"
urlpatterns = [
    path("", views.runs, name="runs"),
    path("start/", views.start, name="start"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("conflicts/<int:pk>/resolve/", views.resolve, name="conflict-resolve"),
    path("<int:pk>/", views.run_detail, name="run"),
    path("<int:pk>/status.json", views.run_status, name="run-status"),
    path("<int:pk>/rejected.csv", views.rejected_csv, name="run-rejected"),
    path("<int:pk>/unmapped.csv", views.unmapped_csv, name="run-unmapped"),
]
