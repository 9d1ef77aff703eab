"""The reports home: every report the user may open."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_safe

from reporting.hooks import reports_links


@require_safe
def reports_home(request):
    user = request.user
    if not (user.has_perm("reporting.view_reports") or user.has_perm("reporting.view_published")):
        raise PermissionDenied
    return render(request, "reporting/home.html", {"links": reports_links(user)})
