"""A child's reviews page, and the IRO's work between reviews: contacts, midway reviews, checks."""

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from iro.access import get_visible_child_or_404
from iro.audit import log_child_access
from iro.navigation import child_url
from reviews import forms, selectors, services
from reviews.models import ReviewStatus
from reviews.views.common import form_page, perm


@require_safe
@perm("reviews.view_review")
def child_reviews(request, child_pk):
    child = get_visible_child_or_404(request.user, pk=child_pk)
    log_child_access(user=request.user, child=child, path=request.path)
    reviews = selectors.reviews_of_child(child)
    return render(
        request,
        "reviews/child_reviews.html",
        {
            "child": child,
            "child_url": child_url(child.pk),
            "next_review": next(
                (r for r in reviews if r.status in (ReviewStatus.DUE, ReviewStatus.BOOKED)), None
            ),
            "reviews": reviews,
            "contacts": list(child.iro_contacts.select_related("iro")[:50]),
            "midway_reviews": list(child.midway_reviews.select_related("iro")[:50]),
            "checks": list(child.monitoring_checks.select_related("iro")[:50]),
            "can_change": request.user.has_perm("reviews.change_review"),
        },
    )


def _child_form(request, child_pk, *, form_class, title, service):
    child = get_visible_child_or_404(request.user, pk=child_pk)

    def save(data):
        service(child=child, iro=request.user, **data)
        messages.success(request, f"{title}: saved")

    return form_page(
        request,
        form_class=form_class,
        template="reviews/child_form.html",
        context={"child": child, "title": title},
        save=save,
        success=reverse("reviews:child", args=[child.pk]),
    )


@perm("reviews.add_irocontact")
def contact_add(request, child_pk):
    return _child_form(
        request,
        child_pk,
        form_class=forms.ContactForm,
        title="Record a visit or contact",
        service=services.contact_record,
    )


@perm("reviews.add_midwayreview")
def midway_add(request, child_pk):
    return _child_form(
        request,
        child_pk,
        form_class=forms.MidwayForm,
        title="Record a midway review",
        service=services.midway_review_record,
    )


@perm("reviews.add_monitoringcheck")
def monitoring_add(request, child_pk):
    return _child_form(
        request,
        child_pk,
        form_class=forms.MonitoringForm,
        title="Record a monitoring check",
        service=services.monitoring_check_record,
    )
