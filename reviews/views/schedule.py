"""The team managers' weekly schedule: this week and next, by day and IRO; printable and CSV."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from iro import exports
from iro.models import ServiceSettings, Team
from iro.teams import team_from_request
from reviews import selectors
from reviews.views.common import perm

CSV_HEADER = [
    "Date",
    "Start",
    "End",
    "IRO",
    "Meeting",
    "Details",
    "Venue",
    "Due",
    "Status",
    "Flags",
]


@require_safe
@perm("reviews.view_schedule")
def schedule(request):
    today = timezone.localdate()
    team = team_from_request(request)
    days = selectors.weekly_schedule(today=today, team=team)
    weeks = [days[:7], days[7:]]
    lead = ServiceSettings.load().booking_lead_working_days
    unbooked = selectors.unbooked_past_target(today=today, lead=lead, team=team)
    return render(
        request,
        "reviews/schedule.html",
        {
            "weeks": weeks,
            "today": today,
            "team": team,
            "teams": list(Team.objects.all()),
            "total": sum(d.count for d in days),
            "unbooked": list(unbooked[: selectors.LIST_LIMIT]),
            "unbooked_count": unbooked.count(),
        },
    )


def _schedule_rows(days):
    for day in days:
        for chair_day in day.chairs:
            for row in chair_day.rows:
                meeting = row.meeting
                yield [
                    day.day.isoformat(),
                    f"{timezone.localtime(meeting.starts_at):%H:%M}",
                    f"{timezone.localtime(meeting.ends_at):%H:%M}",
                    str(chair_day.chair),
                    meeting.get_kind_display(),
                    row.detail.label,
                    meeting.get_venue_type_display(),
                    row.detail.due.isoformat() if row.detail.due else "",
                    meeting.get_status_display(),
                    "; ".join(row.detail.flags),
                ]


@require_safe
@perm("reviews.view_schedule")
def schedule_csv(request):
    today = timezone.localdate()
    days = selectors.weekly_schedule(today=today, team=team_from_request(request))
    return exports.csv_response(
        f"schedule-{days[0].day:%Y-%m-%d}.csv", [CSV_HEADER, *_schedule_rows(days)]
    )
