"""My conferences, and the CP plans list with its panel and drift lists (printable, exportable)."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from iro import exports
from iro.access import hidden_records_text, split_visible
from iro.roles import Role
from protection import forms, selectors
from protection.views.common import (
    parse_on,
    require_perm,
)


@require_safe
def my_conferences(request):
    if not request.user.has_role(Role.IRO):
        raise PermissionDenied
    conferences = list(selectors.my_conferences(user=request.user))
    rows = [{"conference": c, "flags": selectors.conference_flags(c)} for c in conferences]
    return render(request, "protection/my_conferences.html", {"rows": rows})


EXPORT_HEADINGS = [
    "LA child ID",
    "Name",
    "Plan start",
    "Months on plan",
    "Initial category",
    "Latest category",
    "Previous plans",
    "Repeat within 2 years",
    "Chair",
    "Next review due",
]


def _export_rows(plans):
    for plan in plans:
        yield [
            plan.child.la_child_id,
            plan.child.full_name,
            plan.start.isoformat(),
            plan.months_on_plan,
            plan.initial_category,
            plan.latest_category,
            plan.previous_plans_from_history,
            "yes" if plan.repeat_within_two_years else "no",
            str(plan.chair),
            plan.next_review_due.isoformat() if plan.next_review_due else "",
        ]


def _export(plans, hidden: int, fmt: str, on: date):
    name = f"cp-plans-{on.isoformat()}"
    basis = f"Plans open on {on:%-d %B %Y}; months on plan: same day number, clamped to month end."
    rows = [*_export_rows(plans)]
    if hidden:
        rows.append([hidden_records_text(hidden)])
    if fmt == "xlsx":
        return exports.xlsx_response(
            f"{name}.xlsx", [("CP plans", [[basis], EXPORT_HEADINGS, *rows])]
        )
    return exports.csv_response(f"{name}.csv", [EXPORT_HEADINGS, *rows])


PLANS_PER_PAGE = 200


@require_safe
def plan_list(request):
    """The panel and drift lists: every plan counts, but only the children the reader may see
    are named (iro.access.split_visible); the others are one line, "N records outside your
    access", on the page and in the exports."""
    require_perm(request, "protection.view_cp_panel_lists")
    filters = forms.PlanFilterForm(request.GET or None)
    duration = subsequent = ""
    if filters.is_valid():
        duration = filters.cleaned_data["duration"]
        subsequent = filters.cleaned_data["subsequent"]
    on = parse_on(request.GET.get("on", ""))
    plans, hidden = split_visible(
        request.user,
        selectors.plan_list(
            user=None,
            on=on,
            min_months=int(duration) if duration else None,
            subsequent=subsequent,
        ),
        child=lambda plan: plan.child_id,
    )
    fmt = request.GET.get("export", "")
    if fmt in ("csv", "xlsx"):
        return _export(plans, hidden, fmt, on)
    query = request.GET.copy()
    query.pop("export", None)
    query.pop("page", None)
    page = Paginator(plans, PLANS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "protection/plan_list.html",
        {
            "filters": filters if filters.is_bound else forms.PlanFilterForm(),
            "plans": page.object_list,
            "page": page,
            "on": on,
            "summary": selectors.panel_summary(user=None, on=on),
            "hidden": hidden,
            "hidden_text": hidden_records_text(hidden),
            "query": query.urlencode(),
            "duration": duration,
            "subsequent": subsequent,
        },
    )
