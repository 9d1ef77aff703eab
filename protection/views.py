"""Pages of the protection app. Thin: scoping through iro.access, writes through services.

Permissions come from ProtectionConfig.role_permissions (403 without them); records of a child
outside the user's reach answer 404.
"""

import csv
import io
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from iro.access import get_visible_child_or_404
from iro.audit import log_child_access
from iro.models import MeetingChange
from iro.roles import Role
from iro.selectors import child_status_on
from protection import forms, rules, selectors, services
from protection.models import ConferenceKind, ConferenceStatus, ProtectionPlan


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _conference_or_404(request, pk: int):
    conference = selectors.conferences_for(request.user).filter(pk=pk).first()
    if conference is None:
        raise Http404("No conference found")
    return conference


def _plan_or_404(request, pk: int) -> ProtectionPlan:
    from iro.access import children_visible_to

    plan = (
        ProtectionPlan.objects.filter(child__in=children_visible_to(request.user))
        .select_related("child", "chair", "starting_conference")
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise Http404("No plan found")
    return plan


def _apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: field errors where the form has the field."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _form_page(request, form, *, title: str, caption: str = "", back: str = "", intro: str = ""):
    return render(
        request,
        "protection/form.html",
        {"form": form, "title": title, "caption": caption, "back": back, "intro": intro},
        status=400 if form.is_bound and form.errors else 200,
    )


def my_conferences(request):
    if not request.user.has_role(Role.IRO):
        raise PermissionDenied
    conferences = list(selectors.my_conferences(user=request.user))
    rows = [{"conference": c, "flags": selectors.conference_flags(c)} for c in conferences]
    return render(request, "protection/my_conferences.html", {"rows": rows})


def _parse_on(value: str) -> date:
    try:
        return date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


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


def _export(plans, fmt: str, on: date):
    name = f"cp-plans-{on.isoformat()}"
    basis = f"Plans open on {on:%-d %B %Y}; months on plan: same day number, clamped to month end."
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "CP plans"
        sheet.append([basis])
        sheet.append(EXPORT_HEADINGS)
        for row in _export_rows(plans):
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(EXPORT_HEADINGS)
    writer.writerows(_export_rows(plans))
    return response


PLANS_PER_PAGE = 200


def plan_list(request):
    _require(request, "protection.view_cp_panel_lists")
    filters = forms.PlanFilterForm(request.GET or None)
    duration = subsequent = ""
    if filters.is_valid():
        duration = filters.cleaned_data["duration"]
        subsequent = filters.cleaned_data["subsequent"]
    on = _parse_on(request.GET.get("on", ""))
    plans = selectors.plan_list(
        user=request.user,
        on=on,
        min_months=int(duration) if duration else None,
        subsequent=subsequent,
    )
    fmt = request.GET.get("export", "")
    if fmt in ("csv", "xlsx"):
        return _export(plans, fmt, on)
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
            "summary": selectors.panel_summary(user=request.user, on=on),
            "query": query.urlencode(),
            "duration": duration,
            "subsequent": subsequent,
        },
    )


def conference_detail(request, pk: int):
    _require(request, "protection.view_conference")
    conference = _conference_or_404(request, pk)
    log_child_access(user=request.user, child=conference.child, path=request.path)
    changes = (
        MeetingChange.objects.filter(meeting=conference.meeting).select_related("agreed_by")
        if conference.meeting_id
        else []
    )
    siblings = []
    if conference.meeting_id:
        siblings = list(
            selectors.conferences_for(request.user)
            .filter(meeting=conference.meeting)
            .exclude(pk=conference.pk)
        )
    return render(
        request,
        "protection/conference_detail.html",
        {
            "conference": conference,
            "flags": selectors.conference_flags(conference),
            "changes": changes,
            "siblings": siblings,
            "booking_target": rules.booking_target(conference.due, conference.created_at.date()),
            "in_timescale": selectors.timeliness(conference.held_on, conference.due),
            "in_timescale_dfe": selectors.timeliness(conference.held_on, conference.due_dfe)
            if conference.due_dfe
            else None,
            "can_change": request.user.has_perm("protection.change_conference"),
        },
    )


def _detail_url(conference) -> str:
    return reverse("protection:conference_detail", args=[conference.pk])


def conference_book(request, pk: int):
    _require(request, "protection.change_conference")
    conference = _conference_or_404(request, pk)
    if conference.status != ConferenceStatus.DUE:
        raise Http404("This conference is not waiting to be booked")
    siblings = None
    if conference.child.sibling_group_id:
        siblings = (
            selectors.conferences_for(request.user)
            .filter(
                child__sibling_group_id=conference.child.sibling_group_id,
                kind=conference.kind,
                status=ConferenceStatus.DUE,
            )
            .exclude(pk=conference.pk)
        )
        if not siblings.exists():
            siblings = None
    form = forms.BookForm(request.POST or None, siblings=siblings, initial={"chair": request.user})
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data.get("siblings") or [])
        try:
            services.conference_book(
                conferences=[conference, *chosen], booked_by=request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect(_detail_url(conference))
    return _form_page(
        request,
        form,
        title=f"Book the {conference.get_kind_display().lower()}",
        caption=conference.child.full_name,
        back=_detail_url(conference),
        intro=f"Due {conference.due:%-d %B %Y}. Book by "
        f"{rules.booking_target(conference.due, conference.created_at.date()):%-d %B %Y} "
        "to meet the two-week booking target.",
    )


def conference_reschedule(request, pk: int):
    _require(request, "protection.change_conference")
    conference = _conference_or_404(request, pk)
    if conference.status != ConferenceStatus.BOOKED:
        raise Http404("This conference is not booked")
    form = forms.RescheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conference_reschedule(
                conference=conference, changed_by=request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect(_detail_url(conference))
    return _form_page(
        request,
        form,
        title=f"Reschedule the {conference.short_kind}",
        caption=conference.child.full_name,
        back=_detail_url(conference),
        intro="A head of service must agree to a conference moving. Siblings on the same "
        "meeting move with it.",
    )


def conference_cancel(request, pk: int):
    _require(request, "protection.change_conference")
    conference = _conference_or_404(request, pk)
    if not conference.is_open:
        raise Http404("This conference is not open")
    form = forms.CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conference_cancel(
                conference=conference, reason=form.cleaned_data["reason"], changed_by=request.user
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect(_detail_url(conference))
    return _form_page(
        request,
        form,
        title=f"Cancel the {conference.short_kind}",
        caption=conference.child.full_name,
        back=_detail_url(conference),
    )


def conference_outcome(request, pk: int):
    _require(request, "protection.change_conference")
    conference = _conference_or_404(request, pk)
    if conference.status != ConferenceStatus.BOOKED:
        raise Http404("This conference is not booked")
    initial = {"held_on": timezone.localdate(conference.meeting.starts_at)}
    form = forms.OutcomeForm(
        request.POST or None, initial=initial, review=conference.kind == ConferenceKind.RCPC
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.conference_record_outcome(
                conference=conference, recorded_by=request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect(_detail_url(conference))
    return _form_page(
        request,
        form,
        title=f"Record the {conference.short_kind} outcome",
        caption=conference.child.full_name,
        back=_detail_url(conference),
    )


def child_protection(request, child_pk: int):
    _require(request, "protection.view_conference")
    child = get_visible_child_or_404(request.user, pk=child_pk)
    log_child_access(user=request.user, child=child, path=request.path)
    history = selectors.child_history(child)
    try:
        record_url = reverse("children:detail", kwargs={"pk": child.pk})
    except NoReverseMatch:  # the child record page belongs to the case core
        record_url = ""
    return render(
        request,
        "protection/child_protection.html",
        {
            "child": child,
            "record_url": record_url,
            "status": child_status_on(child, timezone.localdate()),
            "can_add": request.user.has_perm("protection.add_strategydiscussion"),
            **history,
        },
    )


def _child_url(child) -> str:
    return reverse("protection:child", args=[child.pk])


def strategy_discussion_add(request, child_pk: int):
    _require(request, "protection.add_strategydiscussion")
    child = get_visible_child_or_404(request.user, pk=child_pk)
    form = forms.StrategyDiscussionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.strategy_discussion_record(
                child=child, recorded_by=request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect(_child_url(child))
    return _form_page(
        request,
        form,
        title="Record a strategy discussion",
        caption=child.full_name,
        back=_child_url(child),
        intro="When section 47 enquiries start at the discussion, the initial conference is due "
        "15 working days later.",
    )


def transfer_in_add(request, child_pk: int):
    _require(request, "protection.add_conference")
    child = get_visible_child_or_404(request.user, pk=child_pk)
    form = forms.TransferInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_in_record(child=child, notified_on=form.cleaned_data["notified_on"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect(_child_url(child))
    return _form_page(
        request,
        form,
        title="Record a transfer-in",
        caption=child.full_name,
        back=_child_url(child),
        intro="The transfer-in conference is due 15 working days after notification (local practice).",
    )


def plan_detail(request, pk: int):
    _require(request, "protection.view_protectionplan")
    plan = _plan_or_404(request, pk)
    log_child_access(user=request.user, child=plan.child, path=request.path)
    on = timezone.localdate()
    return render(
        request,
        "protection/plan_detail.html",
        {
            "plan": plan,
            "months": rules.months_between(plan.start, plan.end or on),
            "reviews": plan.reviews.select_related("meeting").order_by("due"),
            "core_groups": plan.core_groups.all(),
            "core_group_overdue": plan.is_open
            and plan.first_core_group_due < on
            and not plan.core_groups.exists(),
            "can_change": request.user.has_perm("protection.change_protectionplan"),
        },
    )


def _plan_url(plan) -> str:
    return reverse("protection:plan_detail", args=[plan.pk])


def plan_end(request, pk: int):
    _require(request, "protection.change_protectionplan")
    plan = _plan_or_404(request, pk)
    if not plan.is_open:
        raise Http404("This plan has ended")
    form = forms.PlanEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_end(
                plan=plan,
                end=form.cleaned_data["end"],
                reason=form.cleaned_data["reason"],
                ended_by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect(_plan_url(plan))
    return _form_page(
        request,
        form,
        title="End the child protection plan",
        caption=plan.child.full_name,
        back=_plan_url(plan),
        intro="The next review conference is cancelled.",
    )


def core_group_add(request, pk: int):
    _require(request, "protection.add_coregroupmeeting")
    plan = _plan_or_404(request, pk)
    form = forms.CoreGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.core_group_record(plan=plan, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect(_plan_url(plan))
    return _form_page(
        request,
        form,
        title="Record a core group meeting",
        caption=plan.child.full_name,
        back=_plan_url(plan),
        intro=f"The first core group was due by {plan.first_core_group_due:%-d %B %Y}.",
    )
