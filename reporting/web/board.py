"""The board dashboard, live: the figures for managers, with or without small-number
suppression, and its refresh.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from reporting import caching
from reporting.presentation import Presenter
from reporting.selectors import latest_published
from reporting.suppression import LEGEND, report_for_board
from reporting.web.common import as_at_text, require_perm
from reporting.web.snapshots import render_snapshot


def _board_view(report: dict, *, suppress: bool) -> tuple[dict, list[dict]]:
    shown = report_for_board(report, suppress=suppress)
    return shown, Presenter(shown).sections()


def _live_board() -> dict:
    today = timezone.localdate()
    return caching.live_board(today)


@require_safe
def board(request):
    """Managers: the live dashboard (suppression on or off). Board members: the latest
    published snapshot."""
    user = request.user
    if not user.has_perm("reporting.view_reports"):
        if not user.has_perm("reporting.view_published"):
            raise PermissionDenied
        snapshot = latest_published(user)
        return (
            render_snapshot(request, snapshot)
            if snapshot
            else render(request, "reporting/board_empty.html", {})
        )
    suppress = request.GET.get("suppress", "1") != "0"
    report = _live_board()
    shown, sections = _board_view(report, suppress=suppress)
    return render(
        request,
        "reporting/board.html",
        {
            "report": shown,
            "sections": sections,
            "as_at": as_at_text(report["as_at"]),
            "suppress": suppress,
            "legend": LEGEND,
            "live": True,
            "can_publish": user.has_perm("reporting.publish_snapshot"),
        },
    )


@require_POST
def board_refresh(request):
    require_perm(request, "reporting.view_reports")
    caching.invalidate()
    return HttpResponseRedirect(reverse("reporting:board"))


# A published snapshot is read outside the service (board papers, exports): every page, export
# and comparison of one applies small-number suppression to its stored figures, whatever was
# recorded when it was published (snapshots of earlier releases may say otherwise). The live
# board, for the service's own managers, can still show every number (?suppress=0).
