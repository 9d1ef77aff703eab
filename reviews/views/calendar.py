"""The private calendar link of an IRO, and the iCalendar feed it points to."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from iro.access import children_visible_to
from iro.models import Meeting, MeetingStatus
from iro.permissions import role_required
from iro.roles import Role, group_name
from reviews import services
from reviews.models import CalendarFeed

FEED_PAST_DAYS = 90


@role_required(Role.IRO)
def calendar_link(request):
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(user=request.user)
            messages.success(request, "Your calendar link has been revoked. It no longer works.")
        else:
            services.calendar_feed_create(user=request.user)
            messages.success(
                request, "Your new calendar link is ready. Any old link has stopped working."
            )
        return redirect("reviews:calendar")
    feed = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first()
    url = request.build_absolute_uri(reverse("calendar_feed", args=[feed.token])) if feed else ""
    return render(request, "reviews/calendar_link.html", {"feed": feed, "url": url})


RESTRICTED = "restricted"


def _child_label(child, visible: set[int]) -> str:
    """A child's LA id, or "restricted": a calendar leaves the service (phones, shared calendar
    apps), so a restricted child's id never goes into it, nor the id of a child the user may no
    longer see (iro.access)."""
    if child.restricted or child.pk not in visible:
        return RESTRICTED
    return child.la_child_id


def build_calendar(user, *, host: str) -> bytes:
    """The user's meetings as iCalendar. No child names: child ids (or "restricted"), meeting
    type and venue."""
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    meetings = list(
        Meeting.objects.filter(chair=user, starts_at__gte=since)
        .exclude(status=MeetingStatus.CANCELLED)
        .prefetch_related("children")
        .order_by("starts_at")
    )
    child_ids = {c.pk for m in meetings for c in m.children.all()}
    visible = set(children_visible_to(user).filter(pk__in=child_ids).values_list("pk", flat=True))
    calendar = Calendar()
    calendar.add("prodid", "-//IRO service//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "IRO meetings")
    for meeting in meetings:
        ids = ", ".join(sorted(_child_label(c, visible) for c in meeting.children.all()))
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("dtstamp", meeting.booked_at)
        # In local time with its zone (TZID=Europe/London and a VTIMEZONE below), so the feed
        # reads as the pages do: a meeting at 00:30 in summer time is on its own day, not on
        # the day before as its UTC value would show.
        event.add("dtstart", timezone.localtime(meeting.starts_at))
        event.add("dtend", timezone.localtime(meeting.ends_at))
        event.add("summary", f"{meeting.get_kind_display()}: child {ids}")
        event.add("location", meeting.get_venue_type_display())
        event.add(
            "description",
            f"Type: {meeting.get_kind_display()}\nChild ID: {ids}\n"
            f"Venue: {meeting.get_venue_type_display()}\nStatus: {meeting.get_status_display()}",
        )
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


@login_not_required
@never_cache
@require_GET
def calendar_feed(request, token):
    """Authenticated by the secret token in the URL; an unknown or revoked token answers 404, and
    so does the token of someone who is no longer an active IRO (left the IRO group or
    deactivated)."""
    feed = (
        CalendarFeed.objects.filter(
            token=token,
            revoked_at__isnull=True,
            user__is_active=True,
            user__groups__name=group_name(Role.IRO),
        )
        .select_related("user")
        .first()
    )
    if feed is None:
        raise Http404("No such calendar")
    body = build_calendar(feed.user, host=request.get_host().split(":")[0])
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
