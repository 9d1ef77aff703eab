"""URLs of the reporting pages (included from reporting/urls.py, namespace "reporting")."""

from django.urls import path

from reporting.web import annual, dashboards, home, publishing

urlpatterns = [
    path("", home.reports_home, name="home"),
    path("annual/", annual.annual_index, name="annual-index"),
    path("annual/<int:year>/", annual.annual_report, name="annual"),
    path("annual/<int:year>/refresh/", annual.annual_refresh, name="annual-refresh"),
    path("annual/<int:year>/xlsx/", annual.annual_xlsx, name="annual-xlsx"),
    path("annual/<int:year>/csv/", annual.annual_csv, name="annual-csv"),
    path("annual/<int:year>/json/", annual.annual_json, name="annual-json"),
    path("annual/<int:year>/docx/", annual.annual_docx, name="annual-docx"),
    path("figures/<str:figure_id>/<int:year>/", annual.figure_rows, name="figure-rows"),
    path("board/", dashboards.board, name="board"),
    path("board/refresh/", dashboards.board_refresh, name="board-refresh"),
    path("scorecard/", dashboards.scorecard, name="scorecard"),
    path("scorecard/xlsx/", dashboards.scorecard_xlsx, name="scorecard-xlsx"),
    path("snapshots/", dashboards.snapshot_list, name="snapshots"),
    path("snapshots/publish/", publishing.snapshot_publish_view, name="snapshot-publish"),
    path("snapshots/compare/", dashboards.snapshot_compare, name="snapshot-compare"),
    path("snapshots/<int:pk>/", dashboards.snapshot_detail, name="snapshot"),
    path("snapshots/<int:pk>/xlsx/", dashboards.snapshot_xlsx, name="snapshot-xlsx"),
    path("snapshots/<int:pk>/docx/", dashboards.snapshot_docx, name="snapshot-docx"),
    path("snapshots/<int:pk>/correct/", dashboards.snapshot_correct_view, name="snapshot-correct"),
    path(
        "snapshots/<int:pk>/withdraw/", dashboards.snapshot_withdraw_view, name="snapshot-withdraw"
    ),
]
