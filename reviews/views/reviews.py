"""Review pages: list, detail, and the booking, rescheduling, cancelling and outcome forms."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from iro import concurrency
from iro.audit import log_child_access
from iro.idempotency import already_done
from iro.models import AllocationRole, ServiceSettings
from iro.navigation import child_url
from iro.registry import registry
from iro.roles import Role
from iro.rules import booking_deadline
from reviews import forms, rules, selectors, services
from reviews.models import Review, ReviewStatus, SafeguardingIssue
from reviews.views.common import form_page, perm


@require_safe
@perm("reviews.view_review")
def review_list(request):
    """My reviews: the next review of each of the IRO's children; managers see every child."""
    status = request.GET.get("status", "open")
    qs = selectors.reviews_visible_to(request.user)
    if status == "open":
        qs = qs.filter(status__in=[ReviewStatus.DUE, ReviewStatus.BOOKED])
    elif status in ReviewStatus.values:
        qs = qs.filter(status=status)
    # IROs start with their own children; managers with everyone's.
    mine = request.GET.get("mine", "0" if request.user.has_role(Role.TEAM_MANAGER) else "1")
    if mine == "1" and request.user.has_role(Role.IRO):
        qs = qs.filter(
            child__allocations__iro=request.user,
            child__allocations__role=AllocationRole.CLA,
            child__allocations__end__isnull=True,
        )
    page = Paginator(qs.order_by("due_date", "id"), 50).get_page(request.GET.get("page"))
    lead = ServiceSettings.load().booking_lead_working_days
    rows = [(r, booking_deadline(r.due_date, lead)) for r in page]
    return render(
        request,
        "reviews/review_list.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "mine": mine,
            "statuses": ReviewStatus.choices,
        },
    )


def _milestones(review, today):
    rows = []
    for name, days in rules.MILESTONES.items():
        done = getattr(review, name)
        rows.append(
            {
                "label": review._meta.get_field(name).verbose_name.capitalize(),
                "deadline": rules.add_working_days(review.held_on, days),
                "done": done,
                "overdue": rules.milestone_overdue(review.held_on, days, done, today),
            }
        )
    return rows


@require_safe
@perm("reviews.view_review")
def review_detail(request, pk):
    review = selectors.get_visible_review_or_404(request.user, pk)
    log_child_access(user=request.user, child=review.child, path=request.path)
    today = timezone.localdate()
    lead = ServiceSettings.load().booking_lead_working_days
    meeting_day = timezone.localdate(review.meeting.starts_at) if review.meeting else None
    context = {
        "review": review,
        "child_url": child_url(review.child_id),
        "booking_deadline": booking_deadline(review.due_date, lead),
        "report_target": rules.sw_report_target(meeting_day) if meeting_day else None,
        "milestones": _milestones(review, today) if review.held_on else [],
        "safeguarding_labels": [
            SafeguardingIssue(code).label.lower() for code in review.safeguarding_types
        ],
        "recommendations": list(review.recommendations.all()),
        "changes": list(review.meeting.changes.select_related("agreed_by"))
        if review.meeting
        else [],
        "can_change": request.user.has_perm("reviews.change_review"),
        "after_outcome": registry.panels_after_outcome(request, review.meeting, review.child)
        if review.held_on and review.meeting
        else [],
    }
    return render(request, "reviews/review_detail.html", context)


def _review_form(
    request, pk, *, form_class, title, save, initial=None, allowed=None, follow_ups=()
):
    """A form about one review. `follow_ups` (iro.registry.FollowUp) become second buttons:
    the one pressed decides where the saved form goes instead of the review page."""
    review = selectors.get_visible_review_or_404(request.user, pk)
    if repeat := already_done(request):
        return repeat  # the same form sent again: to what the first press made
    if allowed is not None and review.status not in allowed:
        messages.error(request, f"This review is {review.get_status_display().lower()}.")
        return redirect("reviews:detail", pk=review.pk)

    def _save(data):
        with concurrency.guard(Review, review.pk, data.pop("version", None)):
            save(review, data)
        messages.success(request, f"{title}: done")

    success = reverse("reviews:detail", args=[review.pk])
    pressed = request.POST.get("follow_up") if request.method == "POST" else None
    for step in follow_ups:
        if pressed == step.label:
            success = step.url
    return form_page(
        request,
        form_class=form_class,
        template="reviews/review_form.html",
        context={"review": review, "title": title},
        save=_save,
        success=success,
        form_kwargs={"follow_ups": follow_ups} if follow_ups else None,
        initial={
            **((initial(review) if callable(initial) else initial) or {}),
            "version": review.version,
        },
    )


@perm("reviews.change_review")
def review_book(request, pk):
    def save(review, data):
        services.review_book(
            review=review,
            chair=data["chair"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            venue_type=data["venue_type"],
            venue_detail=data["venue_detail"],
            late_reason=data["late_reason"],
            additional=data["additional"],
            booked_by=request.user,
        )

    def initial(review):
        return {"chair": selectors.cla_iro_of(review.child), "duration": "90"}

    return _review_form(
        request,
        pk,
        form_class=forms.BookForm,
        title="Book review",
        save=save,
        initial=initial,
        allowed=[ReviewStatus.DUE],
    )


@perm("reviews.change_review")
def review_reschedule(request, pk):
    def save(review, data):
        services.review_reschedule(
            review=review,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            reason=data["reason"],
            agreed_by=data["agreed_by"],
            changed_by=request.user,
            venue_type=data["venue_type"],
            venue_detail=data["venue_detail"],
            late_reason=data["late_reason"],
        )

    def initial(review):
        return {"venue_type": review.meeting.venue_type, "duration": "90"}

    return _review_form(
        request,
        pk,
        form_class=forms.RescheduleForm,
        title="Reschedule review",
        save=save,
        initial=initial,
        allowed=[ReviewStatus.BOOKED],
    )


@perm("reviews.change_review")
def review_cancel(request, pk):
    def save(review, data):
        services.review_cancel(review=review, reason=data["reason"], changed_by=request.user)

    return _review_form(
        request,
        pk,
        form_class=forms.CancelForm,
        title="Cancel review meeting",
        save=save,
        allowed=[ReviewStatus.BOOKED],
    )


def outcome_kwargs(data) -> dict:
    keys = [
        "held_on",
        "participation",
        "child_attended",
        "parents_attended",
        "professionals_attended",
        "actual_venue",
        "permanence_plan_type",
        "permanence_track",
        "childs_views_considered",
        "child_seen_before",
        "mode",
        "non_attendance_reason",
        "safeguarding_issue",
        "safeguarding_types",
    ]
    out = {k: data[k] for k in keys}
    if out["child_attended"] is not False:
        out["non_attendance_reason"] = ""  # a reason left ticked after answering yes
    if not out["safeguarding_issue"]:
        out["safeguarding_types"] = []
    return out


@perm("reviews.change_review")
def review_outcome(request, pk):
    def save(review, data):
        services.review_record_outcome(
            review=review, recorded_by=request.user, **outcome_kwargs(data)
        )

    def initial(review):
        return {
            "held_on": timezone.localdate(review.meeting.starts_at),
            "child_seen_before": {True: "yes", False: "no"}.get(review.child_seen_before),
            "actual_venue": review.meeting.venue_type,
            "mode": {"virtual": "virtual", "hybrid": "hybrid"}.get(
                review.meeting.venue_type, "in_person"
            ),
        }

    review = selectors.get_visible_review_or_404(request.user, pk)
    if review.status == ReviewStatus.BOOKED and not review.meeting.has_started:
        # Offered from the meeting's start: before it, the held date would be in the future.
        return render(
            request,
            "iro/outcome_not_yet.html",
            {
                "title": "Record the outcome",
                "caption": f"{review.get_sequence_display()} of child {review.child.la_child_id}",
                "meeting": review.meeting,
                "back": reverse("reviews:detail", args=[review.pk]),
                "back_label": "Back to the review",
            },
            status=400 if request.method == "POST" else 200,
        )
    follow_ups = [step for step in (offer(review) for offer in registry.outcome_follow_ups) if step]
    return _review_form(
        request,
        pk,
        form_class=forms.OutcomeForm,
        title="Record the outcome",
        save=save,
        initial=initial,
        allowed=[ReviewStatus.BOOKED],
        follow_ups=follow_ups,
    )


@perm("reviews.change_review")
def review_preparation(request, pk):
    def save(review, data):
        services.review_record_preparation(review=review, **data)

    def initial(review):
        yn = {True: "yes", False: "no", None: None}
        return {
            "sw_report_received_on": review.sw_report_received_on,
            "child_seen_before": yn[review.child_seen_before],
            "parents_invited": yn[review.parents_invited],
        }

    return _review_form(
        request,
        pk,
        form_class=forms.PreparationForm,
        title="Before the review",
        save=save,
        initial=initial,
        allowed=[ReviewStatus.DUE, ReviewStatus.BOOKED],
    )


@perm("reviews.change_review")
def review_milestones(request, pk):
    def save(review, data):
        services.review_record_milestones(review=review, **data)

    def initial(review):
        return {name: getattr(review, name) for name in rules.MILESTONES}

    return _review_form(
        request,
        pk,
        form_class=forms.MilestonesForm,
        title="Review record",
        save=save,
        initial=initial,
        allowed=[ReviewStatus.HELD],
    )


@perm("reviews.change_recommendation")
def recommendation_done(request, pk, rec_pk):
    """Mark a recommendation done today (POST only, from the review page)."""
    review = selectors.get_visible_review_or_404(request.user, pk)
    recommendation = get_object_or_404(review.recommendations, pk=rec_pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.recommendation_complete(
        recommendation=recommendation, completed_on=timezone.localdate()
    )
    messages.success(request, "Recommendation marked as done")
    return redirect("reviews:detail", pk=review.pk)


@perm("reviews.add_recommendation")
def recommendation_add(request, pk):
    def save(review, data):
        services.recommendation_add(review=review, **data)

    return _review_form(
        request,
        pk,
        form_class=forms.RecommendationForm,
        title="Add a recommendation",
        save=save,
        allowed=[ReviewStatus.HELD],
    )
