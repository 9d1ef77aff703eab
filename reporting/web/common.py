"""Helpers shared by the reporting pages."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse

from reporting.figures import Period

MIN_YEAR, MAX_YEAR = 2000, 2100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def require_perm(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def year_period(year: int) -> Period:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404("No such reporting year")
    return Period.year(year)


def as_at_text(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%H:%M on %-d %B %Y")


def download(content, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
