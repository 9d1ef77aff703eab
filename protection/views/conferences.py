"""Conference pages: detail, book (with siblings), reschedule, cancel, record the outcome."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from iro.audit import log_child_access
from iro.form_submit import sent, submit
from iro.idempotency import already_done
from iro.models import MeetingChange
from iro.registry import registry
from iro.rules import booking_advice
from protection import forms, rules, selectors, services
from protection.models import Conference, ConferenceKind, ConferenceStatus
from protection.views.common import conference_or_404, form_page, require_perm


@require_safe
def conference_detail(request, pk: int):
    require_perm(request, "protection.view_conference")
    conference = conference_or_404(request, pk)
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
            "booking_advice": booking_advice(
                due=conference.due,
                book_by=rules.booking_target(
                    conference.due, timezone.localdate(conference.created_at)
                ),
                today=timezone.localdate(),
            ),
            "in_timescale": selectors.timeliness(conference.held_on, conference.due),
            "in_timescale_dfe": selectors.timeliness(conference.held_on, conference.due_dfe)
            if conference.due_dfe
            else None,
            "can_change": request.user.has_perm("protection.change_conference"),
            "after_outcome": registry.panels_after_outcome(
                request, conference.meeting, conference.child
            )
            if conference.held_on and conference.meeting_id
            else [],
        },
    )


def _detail_url(conference) -> str:
    return reverse("protection:conference_detail", args=[conference.pk])


def conference_book(request, pk: int):
    require_perm(request, "protection.change_conference")
    if repeat := already_done(request):
        return repeat
    conference = conference_or_404(request, pk)
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
    form = forms.BookForm(
        sent(request),
        siblings=siblings,
        initial={"chair": request.user},
    )

    def create() -> str:
        chosen = list(form.cleaned_data.get("siblings") or [])
        services.conference_book(
            conferences=[conference, *chosen], booked_by=request.user, **form.service_kwargs()
        )
        return _detail_url(conference)

    if done := submit(request, form, create):
        return done
    return form_page(
        request,
        form,
        title=f"Book the {conference.get_kind_display().lower()}",
        caption=conference.child.full_name,
        back=_detail_url(conference),
        intro=_booking_intro(conference),
    )


def _booking_intro(conference) -> str:
    advice = booking_advice(
        due=conference.due,
        book_by=rules.booking_target(conference.due, timezone.localdate(conference.created_at)),
        today=timezone.localdate(),
    )
    if advice.startswith("Book by"):
        return f"Due {conference.due:%-d %B %Y}. {advice} to meet the two-week booking target."
    return f"{advice}: the two-week booking target can no longer be met."


def _conference_step(request, conference, form, call, *, title: str, intro: str = ""):
    """A change to a conference: `call()` (its service) under the conference's version check,
    then back to the conference; or the form again, with what was refused."""

    def save() -> str:
        call()
        return _detail_url(conference)

    if done := submit(request, form, save, guard=(Conference, conference.pk)):
        return done
    return form_page(
        request,
        form,
        title=title,
        caption=conference.child.full_name,
        back=_detail_url(conference),
        intro=intro,
    )


def conference_reschedule(request, pk: int):
    require_perm(request, "protection.change_conference")
    conference = conference_or_404(request, pk)
    if conference.status != ConferenceStatus.BOOKED:
        raise Http404("This conference is not booked")
    form = forms.RescheduleForm(sent(request), initial={"version": conference.version})
    return _conference_step(
        request,
        conference,
        form,
        lambda: services.conference_reschedule(
            conference=conference, changed_by=request.user, **form.service_kwargs()
        ),
        title=f"Reschedule the {conference.short_kind}",
        intro="A head of service must agree to a conference moving. Siblings on the same "
        "meeting move with it.",
    )


def conference_cancel(request, pk: int):
    require_perm(request, "protection.change_conference")
    conference = conference_or_404(request, pk)
    if not conference.is_open:
        raise Http404("This conference is not open")
    form = forms.CancelForm(sent(request), initial={"version": conference.version})
    return _conference_step(
        request,
        conference,
        form,
        lambda: services.conference_cancel(
            conference=conference, reason=form.cleaned_data["reason"], changed_by=request.user
        ),
        title=f"Cancel the {conference.short_kind}",
    )


def conference_outcome(request, pk: int):
    require_perm(request, "protection.change_conference")
    conference = conference_or_404(request, pk)
    if conference.status != ConferenceStatus.BOOKED:
        raise Http404("This conference is not booked")
    if not conference.meeting.has_started:
        # Offered from the meeting's start: before it, the held date would be in the future.
        return render(
            request,
            "iro/outcome_not_yet.html",
            {
                "title": f"Record the {conference.short_kind} outcome",
                "caption": conference.child.full_name,
                "meeting": conference.meeting,
                "back": _detail_url(conference),
                "back_label": "Back to the conference",
            },
            status=400 if request.method == "POST" else 200,
        )
    initial = {
        "held_on": timezone.localdate(conference.meeting.starts_at),
        "version": conference.version,
    }
    form = forms.OutcomeForm(
        sent(request), initial=initial, review=conference.kind == ConferenceKind.RCPC
    )
    return _conference_step(
        request,
        conference,
        form,
        lambda: services.conference_record_outcome(
            conference=conference, recorded_by=request.user, **form.service_kwargs()
        ),
        title=f"Record the {conference.short_kind} outcome",
    )
