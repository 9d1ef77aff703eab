"""A child's CP history, strategy discussions, transfer-ins, plan pages, ending plans, core groups."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from iro.access import get_visible_child_or_404
from iro.audit import log_child_access
from iro.form_submit import sent, submit
from iro.idempotency import already_done
from iro.navigation import child_url
from iro.selectors import child_status_on
from protection import forms, rules, selectors, services
from protection.models import ProtectionPlan
from protection.views.common import form_page, plan_or_404, require_perm


@require_safe
def child_protection(request, child_pk: int):
    require_perm(request, "protection.view_conference")
    child = get_visible_child_or_404(request.user, pk=child_pk)
    log_child_access(user=request.user, child=child, path=request.path)
    history = selectors.child_history(child)
    record_url = child_url(child.pk)
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
    require_perm(request, "protection.add_strategydiscussion")
    if repeat := already_done(request):
        return repeat
    child = get_visible_child_or_404(request.user, pk=child_pk)
    form = forms.StrategyDiscussionForm(sent(request))

    def create() -> str:
        services.strategy_discussion_record(
            child=child, recorded_by=request.user, **form.service_kwargs()
        )
        return _child_url(child)

    if done := submit(request, form, create):
        return done
    return form_page(
        request,
        form,
        title="Record a strategy discussion",
        caption=child.full_name,
        back=_child_url(child),
        intro="When section 47 enquiries start at the discussion, the initial conference is due "
        "15 working days later.",
    )


def transfer_in_add(request, child_pk: int):
    require_perm(request, "protection.add_conference")
    if repeat := already_done(request):
        return repeat
    child = get_visible_child_or_404(request.user, pk=child_pk)
    form = forms.TransferInForm(sent(request))

    def create() -> str:
        services.transfer_in_record(child=child, notified_on=form.cleaned_data["notified_on"])
        return _child_url(child)

    if done := submit(request, form, create):
        return done
    return form_page(
        request,
        form,
        title="Record a transfer-in",
        caption=child.full_name,
        back=_child_url(child),
        intro="The transfer-in conference is due 15 working days after notification (local practice).",
    )


@require_safe
def plan_detail(request, pk: int):
    require_perm(request, "protection.view_protectionplan")
    plan = plan_or_404(request, pk)
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
    require_perm(request, "protection.change_protectionplan")
    plan = plan_or_404(request, pk)
    if not plan.is_open:
        raise Http404("This plan has ended")
    form = forms.PlanEndForm(sent(request), initial={"version": plan.version})

    def save() -> str:
        services.plan_end(
            plan=plan,
            end=form.cleaned_data["end"],
            reason=form.cleaned_data["reason"],
            ended_by=request.user,
        )
        return _plan_url(plan)

    if done := submit(request, form, save, guard=(ProtectionPlan, plan.pk)):
        return done
    return form_page(
        request,
        form,
        title="End the child protection plan",
        caption=plan.child.full_name,
        back=_plan_url(plan),
        intro="The next review conference is cancelled.",
    )


def core_group_add(request, pk: int):
    require_perm(request, "protection.add_coregroupmeeting")
    if repeat := already_done(request):
        return repeat
    plan = plan_or_404(request, pk)
    form = forms.CoreGroupForm(sent(request))

    def create() -> str:
        data = {k: v for k, v in form.cleaned_data.items() if k != "submission_token"}
        services.core_group_record(plan=plan, recorded_by=request.user, **data)
        return _plan_url(plan)

    if done := submit(request, form, create):
        return done
    return form_page(
        request,
        form,
        title="Record a core group meeting",
        caption=plan.child.full_name,
        back=_plan_url(plan),
        intro=f"The first core group was due by {plan.first_core_group_due:%-d %B %Y}.",
    )
