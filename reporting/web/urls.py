"""URLs of the reporting pages (included from reporting/urls.py, namespace "reporting")."""

from django.urls import path

from reporting.web import annual, home

urlpatterns = [
    path("", home.reports_home, name="home"),
    path("annual/", annual.annual_index, name="annual-index"),
    path("annual/<int:year>/", annual.annual_report, name="annual"),
    path("annual/<int:year>/refresh/", annual.annual_refresh, name="annual-refresh"),
    path("annual/<int:year>/xlsx/", annual.annual_xlsx, name="annual-xlsx"),
    path("annual/<int:year>/csv/", annual.annual_csv, name="annual-csv"),
    path("annual/<int:year>/docx/", annual.annual_docx, name="annual-docx"),
    path("figures/<str:figure_id>/<int:year>/", annual.figure_rows, name="figure-rows"),
]
