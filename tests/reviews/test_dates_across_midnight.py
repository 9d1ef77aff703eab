"""A meeting shortly after midnight is on its own day everywhere it is shown, either side of the
clock changes.

The database holds meeting times in UTC; Europe/London is an hour ahead of UTC in summer time
(from 01:00 UTC on 28 March 2027 to 01:00 UTC on 31 October 2027). A meeting at 00:30 on
Monday 29 March 2027 is stored as 23:30 UTC on Sunday 28 March: any place that takes the date of
the UTC value instead of the local one shows it a day early. 00:30 on 31 October 2027 is still in
summer time (the clocks go back at 02:00), 00:30 on 1 November 2027 is after the change.
"""

import csv
import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from reviews.services import calendar_feed_create
from tests.protection.factories import ConferenceFactory
from tests.reviews.factories import booked_review

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")

# (the meeting's local day, the Wednesday before it, on which the pages are read)
HARD_NIGHTS = [
    pytest.param(date(2027, 3, 29), date(2027, 3, 24), id="29-march-2027-after-bst-starts"),
    pytest.param(date(2027, 10, 31), date(2027, 10, 27), id="31-october-2027-bst-still"),
    pytest.param(date(2027, 11, 1), date(2027, 10, 27), id="1-november-2027-after-bst-ends"),
]


def half_past_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 30), tzinfo=LONDON)


@pytest.fixture
def on_the_wednesday_before():
    def travel(day):
        traveller = time_machine.travel(datetime.combine(day, time(12), tzinfo=LONDON), tick=False)
        traveller.start()
        return traveller

    travellers = []
    yield lambda day: travellers.append(travel(day))
    for traveller in reversed(travellers):
        traveller.stop()


@pytest.mark.parametrize(("meeting_day", "read_on"), HARD_NIGHTS)
def test_the_weekly_schedule_and_its_csv_put_the_meeting_on_its_day(
    meeting_day, read_on, on_the_wednesday_before, login, team_manager, iro_allocated, child
):
    on_the_wednesday_before(read_on)
    booked_review(chair=iro_allocated, child=child, starts_at=half_past_midnight(meeting_day))
    client = login(team_manager)

    page = client.get(reverse("reviews:schedule")).content.decode()
    table = page.split(f'data-testid="schedule-{meeting_day:%Y-%m-%d}"', 1)
    assert len(table) == 2, f"no meetings shown on {meeting_day}"
    assert "00:30 to" in table[1].split("</table>", 1)[0]
    assert page.count("00:30 to") == 1  # and on no other day

    response = client.get(reverse("reviews:schedule_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    meetings = rows[1:]
    assert [(r[0], r[1]) for r in meetings] == [(meeting_day.isoformat(), "00:30")]


@pytest.mark.parametrize(("meeting_day", "read_on"), HARD_NIGHTS)
def test_the_calendar_feed_gives_the_meeting_its_local_day_and_time(
    meeting_day, read_on, on_the_wednesday_before, client, iro_allocated, child
):
    on_the_wednesday_before(read_on)
    starts_at = half_past_midnight(meeting_day)
    booked_review(chair=iro_allocated, child=child, starts_at=starts_at)
    feed = calendar_feed_create(user=iro_allocated)

    body = client.get(reverse("calendar_feed", args=[feed.token])).content
    text = body.decode()
    assert f"DTSTART;TZID=Europe/London:{meeting_day:%Y%m%d}T003000" in text
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/London" in text
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    start = event["dtstart"].dt
    assert start == starts_at  # the same instant
    assert start.astimezone(LONDON).date() == meeting_day


@pytest.mark.parametrize(
    "created_at",
    [
        pytest.param(half_past_midnight(date(2027, 3, 29)), id="29-march-2027"),
        pytest.param(half_past_midnight(date(2027, 10, 31)), id="31-october-2027"),
    ],
)
def test_a_conference_booking_target_counts_from_the_local_day_it_was_recorded(
    created_at, login, team_manager
):
    """A conference due sooner than the two-week booking target is to be booked straight away:
    the target is the day the conference was recorded, in local time (the UTC date of 00:30
    in summer time is the day before)."""
    with time_machine.travel(created_at, tick=False):
        conference = ConferenceFactory(due=created_at.date() + timedelta(days=7))
        assert timezone.localdate(conference.created_at) == created_at.date()
        # Read on the same night, while the book-by day is still today (iro.rules.booking_advice).
        page = login(team_manager).get(
            reverse("protection:conference_detail", args=[conference.pk])
        )
    assert page.status_code == 200
    text = page.content.decode()
    assert f"Book by {created_at:%-d %b %Y}" in text
