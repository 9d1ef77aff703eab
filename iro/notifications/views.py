"""The inbox: a user's own notifications only. Another user's answers 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from iro.form_fields import form_status
from iro.form_submit import sent, submit
from iro.notifications import selectors, services
from iro.notifications.forms import InboxFilterForm, PreferenceForm
from iro.notifications.models import NotificationPreference

PAGE_SIZE = 50


@require_GET
def inbox(request):
    """Open notifications, or those done (`?view=done`), filtered by kind, child and read."""
    done = request.GET.get("view") == "done"
    form = InboxFilterForm(request.GET or None, user=request.user)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {
            "kind": form.cleaned_data["kind"],
            "child": form.cleaned_data["child"],
            "read": form.cleaned_data["read"],
        }
    notifications = selectors.inbox(request.user, done=done, **filters)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "notifications": page.object_list,
            "done": done,
            "form": form,
            "filtered": any(filters.values()),
            "query": query.urlencode(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_GET
def open_notification(request, pk: int):
    """Follow a notification: mark it read and go to the record it is about."""
    notification = selectors.get_own_notification_or_404(request.user, pk)
    services.notification_mark_read(user=request.user, notification=notification)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect("notifications:inbox")
    return redirect(target)


@require_POST
def mark_read(request, pk: int):
    notification = selectors.get_own_notification_or_404(request.user, pk)
    services.notification_mark_read(user=request.user, notification=notification)
    messages.success(request, "Notification marked as read.")
    return redirect("notifications:inbox")


@require_POST
def mark_done(request, pk: int):
    notification = selectors.get_own_notification_or_404(request.user, pk)
    services.notification_mark_done(user=request.user, notification=notification)
    messages.success(request, "Notification moved to done.")
    return redirect("notifications:inbox")


@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("notifications:inbox")


@require_http_methods(["GET", "POST"])
def preferences(request):
    current = NotificationPreference.objects.filter(user=request.user).first()
    initial = {
        # Until the user saves a choice, the page shows the kinds emailed by default.
        "email_kinds": sorted(services.email_kinds_of([request.user.pk])[request.user.pk]),
        "daily_digest": current.daily_digest if current else False,
    }
    form = PreferenceForm(sent(request), initial=initial)

    def save() -> str:
        services.preference_update(
            user=request.user,
            email_kinds=form.cleaned_data["email_kinds"],
            daily_digest=form.cleaned_data["daily_digest"],
        )
        messages.success(request, "Your email choices are saved.")
        return reverse("notifications:preferences")

    if done := submit(request, form, save):
        return done
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "has_email": bool(request.user.email)},
        status=form_status(form),
    )
