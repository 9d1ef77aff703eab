"""Information governance: who viewed a child's record and when, and what a user viewed.

For the Information governance officer role (the named permission iro.view_access_log), given
only through a role change request that a second administrator approves; administrators do not
have it, so the administration pages hold no child's identity. Filter by child, by user and by
date; paginated; exportable to CSV (escaped, iro.exports)."""

from datetime import datetime, time, timedelta

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from iro import exports
from iro.models import AccessLog

PAGE_SIZE = 50


class AccessLogFilterForm(forms.Form):
    child = forms.CharField(
        label="Child ID", required=False, max_length=40, help_text="The local authority child ID"
    )
    user = forms.CharField(
        label="Username", required=False, max_length=150, help_text="Who viewed records"
    )
    since = forms.DateField(
        label="From",
        required=False,
        help_text="For example, 27/3/2026",
        error_messages={"invalid": "From date must be a real date, for example 27/3/2026"},
    )
    until = forms.DateField(
        label="To",
        required=False,
        help_text="For example, 31/3/2026",
        error_messages={"invalid": "To date must be a real date, for example 31/3/2026"},
    )

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "To date must be the same as or after the from date")
        return data


def access_log_entries(*, child: str = "", user: str = "", since=None, until=None):
    """The access log, newest first, filtered; one query with its user and child."""
    qs = AccessLog.objects.select_related("user", "child").order_by("-viewed_at", "-pk")
    if child:
        qs = qs.filter(child__la_child_id__iexact=child.strip())
    if user:
        qs = qs.filter(user__username__iexact=user.strip())
    tz = timezone.get_current_timezone()
    if since:
        qs = qs.filter(viewed_at__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until:
        qs = qs.filter(
            viewed_at__lt=datetime.combine(until + timedelta(days=1), time.min, tzinfo=tz)
        )
    return qs


CSV_HEADER = ["Viewed at", "Username", "User", "Child ID", "Child", "Action", "Page"]


def _csv_rows(entries):
    for entry in entries.iterator(chunk_size=2000):
        yield [
            timezone.localtime(entry.viewed_at).strftime("%Y-%m-%d %H:%M:%S"),
            entry.user.username,
            entry.user.get_full_name(),
            entry.child.la_child_id,
            entry.child.full_name,
            entry.action,
            entry.path,
        ]


@require_safe
def access_log(request):
    if not request.user.has_perm("iro.view_access_log"):
        raise PermissionDenied
    form = AccessLogFilterForm(request.GET or None)
    status = 200
    filters = {}
    if form.is_bound:
        if form.is_valid():
            filters = {k: v for k, v in form.cleaned_data.items() if v}
        else:
            status = 400
    entries = access_log_entries(**filters)
    if request.GET.get("export") == "csv" and status == 200:
        stamp = timezone.localdate().isoformat()
        return exports.csv_response(f"access-log-{stamp}.csv", [CSV_HEADER, *_csv_rows(entries)])
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(
        request,
        "iro/access_log.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": bool(filters),
        },
        status=status,
    )
