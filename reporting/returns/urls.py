from django.urls import path

from reporting.returns import views

urlpatterns: list = [
    path("", views.home, name="returns-home"),
    path("903/<int:year>/check/", views.check, name="returns-903-check"),
    path("903/<int:year>/download/", views.download_903, name="returns-903-download"),
    path("903/<int:year>.zip", views.export_903_zip, name="returns-903-zip"),
    path("cin/<int:year>/download/", views.download_cin, name="returns-cin-download"),
    path("cin/<int:year>.xml", views.export_cin_xml, name="returns-cin-xml"),
    path("annex-a.xlsx", views.annex_a_xlsx, name="returns-annex-a"),
    path("import/", views.upload, name="returns-import"),
    path("import/<int:pk>/", views.import_run, name="returns-import-run"),
    path("import/<int:pk>/status.json", views.import_run_status, name="returns-import-status"),
    path(
        "import/<int:pk>/refused-rows.csv",
        views.import_run_refusals_csv,
        name="returns-import-refusals",
    ),
]
