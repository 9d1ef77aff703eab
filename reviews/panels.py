"""Registry providers: home panels, the child record section, timeline and meeting details."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from iro.models import MeetingKind, MeetingStatus, ServiceSettings
from iro.registry import MeetingDetail, Panel, TimelineEntry, read_once_for_record
from iro.rules import LATE_FLAG, meeting_is_late
from reviews import rules, selectors
from reviews.models import Review, ReviewStatus

REPORT_NOT_RECEIVED = "Report not received"
AT_RISK = "At risk of going out of timescale"


def meeting_details(meetings) -> dict[int, MeetingDetail]:
    """Labels, links, due dates and flags of CLA review meetings: one query for all of them."""
    by_id = {m.pk: m for m in meetings if m.kind == MeetingKind.CLA_REVIEW}
    if not by_id:
        return {}
    today = timezone.localdate()
    details = {}
    reviews = (
        Review.objects.filter(meeting_id__in=by_id)
        .exclude(status=ReviewStatus.CANCELLED)
        .select_related("child")
        .only(
            "id",
            "meeting_id",
            "sequence",
            "due_date",
            "sw_report_received_on",
            "child__la_child_id",
            "child__first_name",
            "child__last_name",
        )
        .order_by("id")
    )
    # One reverse() for all rows: the URL differs only by the review id.
    url_pattern = reverse("reviews:detail", args=[0]).replace("/0/", "/{}/")
    for review in reviews:
        meeting = by_id[review.meeting_id]
        flags = []
        if meeting_is_late(meeting, review.due_date):
            flags.append(LATE_FLAG)
        if meeting.status == MeetingStatus.BOOKED:
            received = review.sw_report_received_on is not None
            if not received:
                flags.append(REPORT_NOT_RECEIVED)
            if rules.at_risk_of_timescale(
                meeting_day=timezone.localdate(meeting.starts_at),
                due=review.due_date,
                report_received=received,
                today=today,
            ):
                flags.append(AT_RISK)
        details.setdefault(
            review.meeting_id,
            MeetingDetail(
                label=f"{review.get_sequence_display()}: {review.child}",
                url=url_pattern.format(review.pk),
                due=review.due_date,
                flags=tuple(flags),
            ),
        )
    return details


def my_work_panel(request) -> Panel | None:
    user = request.user
    if not user.has_perm("reviews.view_review"):
        return None
    lead = ServiceSettings.load().booking_lead_working_days
    work = selectors.my_work(user, today=timezone.localdate(), lead=lead)
    return Panel("reviews/panels/my_work.html", {"work": work, "lead": lead}, order=10)


def schedule_panel(request) -> Panel | None:
    """The manager's home panel: the same team, the same selectors and the same numbers as the
    weekly schedule page opens with (iro.teams.manager_team; selectors.unbooked_past_target is
    the one definition of "not booked, past the booking target")."""
    if not request.user.has_perm("reviews.view_schedule"):
        return None
    from iro.teams import manager_team

    today = timezone.localdate()
    team = manager_team(request.user)
    start = selectors.week_start(today)
    this_week = selectors.meetings_between(start, start + timedelta(days=7), team=team).count()
    lead = ServiceSettings.load().booking_lead_working_days
    unbooked = selectors.unbooked_past_target(today=today, lead=lead, team=team).count()
    return Panel(
        "reviews/panels/schedule.html",
        {"this_week": this_week, "unbooked": unbooked, "team": team, "today": today},
        order=10,
    )


def _child_reviews(child) -> list[Review]:
    """The child's reviews, shown by the record's section and its timeline: read once."""
    return read_once_for_record(child, "reviews", lambda: selectors.reviews_of_child(child))


def child_section(request, child) -> Panel | None:
    if not request.user.has_perm("reviews.view_review"):
        return None
    reviews = _child_reviews(child)
    upcoming = next(
        (r for r in reviews if r.status in (ReviewStatus.DUE, ReviewStatus.BOOKED)), None
    )
    history = [r for r in reviews if r is not upcoming]
    return Panel(
        "reviews/panels/child_section.html",
        {"child": child, "next_review": upcoming, "history": history},
        order=30,
    )


def timeline_entries(child, user) -> list[TimelineEntry]:
    if not user.has_perm("reviews.view_review"):
        return []
    entries = []
    held = [r for r in _child_reviews(child) if r.status == ReviewStatus.HELD]
    for review in sorted(held, key=lambda r: r.held_on):
        timing = "in timescale" if review.in_timescale else "out of timescale"
        entries.append(
            TimelineEntry(
                when=review.held_on,
                kind="cla_review",
                title=f"{review.get_sequence_display()} held ({timing})",
                detail=review.get_participation_display(),
                url=reverse("reviews:detail", args=[review.pk]),
            )
        )
    return entries
