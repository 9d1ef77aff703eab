"""Child list, child record, child create/edit, and the care episode steps."""

from __future__ import annotations

from datetime import datetime, time

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from iro import access, audit
from iro.form_fields import form_status
from iro.form_submit import sent, submit
from iro.forms import CareChangeForm, CareEndForm, CareStartForm, ChildForm, EpisodeCorrectForm
from iro.idempotency import already_done
from iro.models import Allocation, Area, CareEpisode, Child
from iro.permissions import role_required
from iro.registry import TimelineEntry, registry
from iro.roles import RESPONDER_ROLES, Role
from iro.rules import age_on
from iro.selectors import child_status_on
from iro.selectors_caseload import iros
from iro.selectors_children import AGE_BANDS, child_list
from iro.services import children as child_services
from iro.services import episodes as episode_services

CHILD_ROLES = (Role.IRO, Role.TEAM_MANAGER, *RESPONDER_ROLES, Role.PERFORMANCE_OFFICER)
STATUS_CHOICES = [
    ("", "Any status"),
    ("looked_after", "Looked after"),
    ("cp_plan", "On a child protection plan"),
    ("dual", "Looked after and on a plan"),
    ("neither", "Neither"),
]
PAGE_SIZE = 25


def require_perm(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


class ChildFilterForm(django_forms.Form):
    q = django_forms.CharField(label="Name or child ID", required=False)
    iro = django_forms.ModelChoiceField(label="IRO", queryset=None, required=False)  # type: ignore[var-annotated]
    status = django_forms.ChoiceField(label="Status today", choices=STATUS_CHOICES, required=False)
    area = django_forms.ModelChoiceField(label="Area", queryset=Area.objects.all(), required=False)
    age_band = django_forms.ChoiceField(
        label="Age", choices=[("", "Any age")] + list(AGE_BANDS.items()), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["iro"].queryset = iros().order_by("last_name", "first_name")


@require_safe
@role_required(*CHILD_ROLES)
def child_list_view(request):
    today = timezone.localdate()
    form = ChildFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = child_list(
        access.children_visible_to(request.user),
        today=today,
        q=filters.get("q", ""),
        iro=filters.get("iro"),
        status=filters.get("status", ""),
        area=filters.get("area"),
        age_band=filters.get("age_band", ""),
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "child": child,
            "age": age_on(child.date_of_birth, today) if child.date_of_birth else None,
            "status": _status_label(child.is_looked_after, child.on_cp_plan),
        }
        for child in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "iro/child_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "iro_options": list(form.fields["iro"].queryset),
            "area_options": list(Area.objects.all()),
            "can_add": request.user.has_perm("iro.add_child"),
        },
    )


def _status_label(looked_after: bool, cp: bool) -> str:
    from iro.selectors import status_from_flags

    return status_from_flags(looked_after, cp).label


def _when(value) -> datetime:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(datetime.combine(value, time.min))


def child_timeline(child, user, episodes, allocations) -> list[TimelineEntry]:
    entries = []
    for e in episodes:
        entries.append(
            TimelineEntry(
                e.start,
                "episode",
                "Started to be looked after" if e.reason_new_episode == "S" else "New episode",
                f"{e.get_reason_new_episode_display()}; {e.legal_status}, placement {e.placement_type}",
            )
        )
        if e.end and e.reason_ceased != "X1":
            entries.append(
                TimelineEntry(e.end, "episode", "Care ended", e.get_reason_ceased_display())
            )
    for a in allocations:
        entries.append(
            TimelineEntry(a.start, "allocation", f"{a.get_role_display()}: {a.iro}", a.reason)
        )
        if a.end:
            entries.append(
                TimelineEntry(
                    a.end, "allocation", f"{a.get_role_display()} {a.iro} ended", a.end_reason
                )
            )
    for provider in registry.timeline:
        entries.extend(provider(child, user) or [])
    return sorted(entries, key=lambda entry: _when(entry.when), reverse=True)


@require_safe
@role_required(*CHILD_ROLES)
def child_detail(request, pk: int):
    child = access.get_visible_child_or_404(
        request.user, queryset=Child.objects.select_related("area", "sibling_group"), pk=pk
    )
    audit.log_child_access(user=request.user, child=child, path=request.get_full_path())
    today = timezone.localdate()
    episodes = list(CareEpisode.objects.filter(child=child).order_by("-start", "-id"))
    allocations = list(
        Allocation.objects.filter(child=child).select_related("iro").order_by("-start", "-id")
    )
    sections = [s for s in (provider(request, child) for provider in registry.child_sections) if s]
    sections.sort(key=lambda s: s.order)
    open_episode = next((e for e in episodes if e.end is None), None)
    can_record = request.user.has_perm("iro.add_careepisode")
    return render(
        request,
        "iro/child_detail.html",
        {
            "child": child,
            "age": age_on(child.date_of_birth, today) if child.date_of_birth else None,
            "status": child_status_on(child, today),
            "episodes": episodes,
            "open_episode": open_episode,
            "current_allocations": [a for a in allocations if a.end is None],
            "allocations": allocations,
            "timeline": child_timeline(child, request.user, episodes, allocations),
            "sections": sections,
            "can_record": can_record,
            "can_correct": request.user.has_perm("iro.change_careepisode"),
            "can_edit": request.user.has_perm("iro.change_child"),
            "can_allocate": request.user.has_perm("iro.manage_allocations"),
            "today": today,
        },
    )


@role_required(*CHILD_ROLES)
def child_create(request):
    require_perm(request.user, "iro.add_child")
    if repeat := already_done(request):
        return repeat
    form = ChildForm(sent(request))

    def create() -> str:
        child = child_services.child_create(by=request.user, **form.cleaned_data)
        messages.success(request, f"{child.full_name} added.")
        return reverse("children:detail", args=[child.pk])

    if done := submit(request, form, create):
        return done
    return render(
        request,
        "iro/form_page.html",
        {"form": form, "title": "Add a child"},
        status=form_status(form),
    )


@role_required(*CHILD_ROLES)
def child_edit(request, pk: int):
    require_perm(request.user, "iro.change_child")
    child = access.get_visible_child_or_404(request.user, pk=pk)
    form = ChildForm(sent(request), instance=child)

    def save() -> str:
        child_services.child_update(child=child, **form.cleaned_data)
        messages.success(request, "Child details saved.")
        return reverse("children:detail", args=[child.pk])

    if done := submit(request, form, save):
        return done
    return render(
        request,
        "iro/form_page.html",
        {"form": form, "title": f"Edit {child.full_name}", "child": child},
        status=form_status(form),
    )


def _episode_step(request, pk: int, form_class, title: str, call, form_kwargs):
    require_perm(request.user, "iro.add_careepisode")
    child = access.get_visible_child_or_404(request.user, pk=pk)
    if request.method == "POST" and (repeat := already_done(request)):
        return repeat  # the same form sent again: to the child the first press changed
    form = form_class(sent(request), **form_kwargs(child))

    def create() -> str:
        form.cleaned_data.pop("submission_token", None)
        call(child, form)
        messages.success(request, f"{title}: saved.")
        return reverse("children:detail", args=[child.pk])

    if done := submit(request, form, create):
        return done
    return render(
        request,
        "iro/form_page.html",
        {"form": form, "title": title, "child": child},
        status=form_status(form),
    )


def _no_kwargs(child) -> dict:
    return {}


@role_required(*CHILD_ROLES)
def care_start_view(request, pk: int):
    def call(child, form):
        episode_services.care_start(child=child, **form.cleaned_data)

    return _episode_step(request, pk, CareStartForm, "Start care", call, form_kwargs=_no_kwargs)


@role_required(*CHILD_ROLES)
def care_change_view(request, pk: int):
    def call(child, form):
        episode_services.care_change(child=child, **form.service_kwargs())

    def kwargs(child):
        return {"current": CareEpisode.objects.filter(child=child, end__isnull=True).first()}

    return _episode_step(
        request, pk, CareChangeForm, "Change legal status or placement", call, form_kwargs=kwargs
    )


@role_required(*CHILD_ROLES)
def care_end_view(request, pk: int):
    def call(child, form):
        episode_services.care_end(child=child, **form.cleaned_data)

    return _episode_step(request, pk, CareEndForm, "End care", call, form_kwargs=_no_kwargs)


@role_required(*CHILD_ROLES)
def episode_correct_view(request, pk: int, episode_pk: int):
    require_perm(request.user, "iro.change_careepisode")
    child = access.get_visible_child_or_404(request.user, pk=pk)
    episode = get_object_or_404(CareEpisode, pk=episode_pk, child=child)
    form = EpisodeCorrectForm(sent(request), instance=CareEpisode.objects.get(pk=episode.pk))

    def save() -> str:
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name != "version"}
        episode_services.episode_correct(
            episode=episode, version=form.cleaned_data["version"], **changes
        )
        messages.success(request, "Episode corrected.")
        return reverse("children:detail", args=[child.pk])

    if done := submit(request, form, save):
        return done
    return render(
        request,
        "iro/form_page.html",
        {
            "form": form,
            "title": f"Correct the episode from {episode.start:%-d %B %Y}",
            "child": child,
        },
        status=form_status(form),
    )
