"""URLs of the reporting pages (included from reporting/urls.py, namespace "reporting")."""

from django.urls import path

from reporting.web import (
    annual,
    board,
    commentary,
    downloads,
    drilldown,
    home,
    publishing,
    scorecard,
    snapshots,
)

urlpatterns = [
    path("", home.reports_home, name="home"),
    path("annual/", annual.annual_index, name="annual-index"),
    path("annual/<int:year>/", annual.annual_report, name="annual"),
    path("annual/<int:year>/refresh/", annual.annual_refresh, name="annual-refresh"),
    path("annual/<int:year>/xlsx/", annual.annual_xlsx, name="annual-xlsx"),
    path("annual/<int:year>/csv/", annual.annual_csv, name="annual-csv"),
    path("annual/<int:year>/json/", annual.annual_json, name="annual-json"),
    path("annual/<int:year>/docx/", downloads.annual_docx, name="annual-docx"),
    path("downloads/<int:pk>/", downloads.report_download, name="report-download"),
    path("downloads/<int:pk>/file/", downloads.report_download_file, name="report-download-file"),
    path(
        "downloads/<int:pk>/status.json",
        downloads.report_download_status,
        name="report-download-status",
    ),
    path("figures/<str:figure_id>/<int:year>/", drilldown.figure_rows, name="figure-rows"),
    path(
        "annual/<int:year>/commentary/<str:section>/",
        commentary.commentary_edit,
        name="annual-commentary",
    ),
    path("board/", board.board, name="board"),
    path("board/refresh/", board.board_refresh, name="board-refresh"),
    path("scorecard/", scorecard.scorecard, name="scorecard"),
    path("scorecard/xlsx/", scorecard.scorecard_xlsx, name="scorecard-xlsx"),
    path("snapshots/", snapshots.snapshot_list, name="snapshots"),
    path("snapshots/publish/", publishing.snapshot_publish_view, name="snapshot-publish"),
    path("snapshots/compare/", snapshots.snapshot_compare, name="snapshot-compare"),
    path("snapshots/<int:pk>/", snapshots.snapshot_detail, name="snapshot"),
    path("snapshots/<int:pk>/xlsx/", snapshots.snapshot_xlsx, name="snapshot-xlsx"),
    path("snapshots/<int:pk>/docx/", snapshots.snapshot_docx, name="snapshot-docx"),
    path("snapshots/<int:pk>/correct/", snapshots.snapshot_correct_view, name="snapshot-correct"),
    path(
        "snapshots/<int:pk>/withdraw/", snapshots.snapshot_withdraw_view, name="snapshot-withdraw"
    ),
]
