"""Reads of the reviews app: one queryset per use case, with its joins, constant query counts."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from iro.access import children_visible_to
from iro.models import Allocation, AllocationRole, Meeting, MeetingStatus, User
from iro.registry import MeetingDetail, registry
from iro.rules import booking_deadline
from reviews import rules
from reviews.models import Review, ReviewStatus

MONTH_ABBR = (
    "",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
MY_WORK_HORIZON_DAYS = 56  # reviews due in the next 8 weeks
LIST_LIMIT = 200


def reviews_visible_to(user) -> QuerySet[Review]:
    """Reviews of the children the user may see (iro.access decides which)."""
    return Review.objects.filter(child__in=children_visible_to(user)).select_related(
        "child", "meeting", "meeting__chair"
    )


def get_visible_review_or_404(user, pk: int) -> Review:
    try:
        return reviews_visible_to(user).get(pk=pk)
    except Review.DoesNotExist:
        raise Http404("No review found") from None


def cla_iro_of(child) -> User | None:
    allocation = (
        Allocation.objects.filter(child=child, role=AllocationRole.CLA, end__isnull=True)
        .select_related("iro")
        .first()
    )
    return allocation.iro if allocation else None


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def meetings_between(start: date, end: date, team=None) -> QuerySet[Meeting]:
    """Meetings (not cancelled) from `start` up to but not including `end`, with their chair;
    only those chaired by members of `team` when one is given. The chairs are read in a second
    query: a fortnight's schedule has a few dozen chairs for hundreds of meetings, and joining
    them built a User object per meeting."""
    qs = (
        Meeting.objects.filter(
            starts_at__gte=_local_midnight(start), starts_at__lt=_local_midnight(end)
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .prefetch_related("chair")
        .order_by("starts_at", "chair__last_name", "id")
    )
    if team is not None:
        qs = qs.filter(chair__team=team)
    return qs


def meeting_details(meetings: list[Meeting]) -> dict[int, MeetingDetail]:
    """What every registered app says about these meetings (one call per provider)."""
    details: dict[int, MeetingDetail] = {}
    for provider in registry.meeting_details:
        details.update(provider(meetings))
    return details


def _local_zone():
    # timezone.localtime() looks the zone up again for every value it converts.
    return timezone.get_current_timezone()


@dataclass
class ScheduleRow:
    meeting: Meeting
    detail: MeetingDetail

    # Formatted once here: Django's date filter costs more than the rest of a row at `la` scale.
    @cached_property
    def times(self) -> str:
        tz = _local_zone()
        start = self.meeting.starts_at.astimezone(tz)
        end = self.meeting.ends_at.astimezone(tz)
        return f"{start:%H:%M} to {end:%H:%M}"

    @cached_property
    def due(self) -> str:
        due = self.detail.due
        return f"{due.day} {MONTH_ABBR[due.month]} {due.year}" if due else ""


@dataclass
class ChairDay:
    chair: User
    rows: list[ScheduleRow] = field(default_factory=list)


@dataclass
class ScheduleDay:
    day: date
    chairs: list[ChairDay] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(c.rows) for c in self.chairs)


def weekly_schedule(*, today: date, weeks: int = 2, team=None) -> list[ScheduleDay]:
    """Every meeting of this week and next, by day and chair, with the apps' labels and flags;
    only the chairs of `team` when one is given."""
    start = week_start(today)
    end = start + timedelta(weeks=weeks)
    meetings = list(meetings_between(start, end, team=team))
    details = meeting_details(meetings)
    days = {
        start + timedelta(days=n): ScheduleDay(start + timedelta(days=n))
        for n in range((end - start).days)
    }
    for meeting in meetings:
        day = days[timezone.localdate(meeting.starts_at)]
        detail = details.get(meeting.pk) or MeetingDetail(label=meeting.get_kind_display())
        chair_day = next((c for c in day.chairs if c.chair.pk == meeting.chair_id), None)
        if chair_day is None:
            chair_day = ChairDay(meeting.chair)
            day.chairs.append(chair_day)
        chair_day.rows.append(ScheduleRow(meeting, detail))
    for day in days.values():
        day.chairs.sort(key=lambda c: (c.chair.last_name, c.chair.first_name, c.chair.pk))
    return list(days.values())


@dataclass
class DueReview:
    review: Review
    booking_deadline: date
    late: bool


@dataclass
class OverdueRecord:
    review: Review
    overdue: list[str]


@dataclass
class MyWork:
    due: list[DueReview]
    meetings: list[ScheduleRow]
    overdue_records: list[OverdueRecord]


def reviews_due_unbooked(user, *, today: date, lead: int) -> list[DueReview]:
    """Reviews due within 8 weeks (or overdue) and not booked, of the IRO's allocated children,
    by booking deadline (which follows the due date)."""
    allocated = Allocation.objects.filter(
        iro=user, role=AllocationRole.CLA, end__isnull=True
    ).values("child_id")
    qs = (
        Review.objects.filter(
            child__in=allocated,
            status=ReviewStatus.DUE,
            due_date__lte=today + timedelta(days=MY_WORK_HORIZON_DAYS),
        )
        .select_related("child")
        .order_by("due_date", "id")[:LIST_LIMIT]
    )
    rows = []
    for review in qs:
        deadline = booking_deadline(review.due_date, lead)
        rows.append(DueReview(review, deadline, today > deadline))
    return rows


def records_overdue(user, *, today: date) -> list[OverdueRecord]:
    """Held reviews chaired by the user with a review-record milestone past its deadline."""
    condition = Q()
    cutoffs = {}
    for name, working_days in rules.MILESTONES.items():
        cutoffs[name] = rules.latest_held_date_overdue(today, working_days)
        condition |= Q(**{f"{name}__isnull": True, "held_on__lte": cutoffs[name]})
    qs = (
        Review.objects.filter(condition, status=ReviewStatus.HELD, meeting__chair=user)
        .select_related("child")
        .order_by("held_on", "id")[:LIST_LIMIT]
    )
    labels = {
        "manager_informed_on": "Manager not informed",
        "record_completed_on": "Record not completed",
        "record_distributed_on": "Record not distributed",
    }
    rows = []
    for review in qs:
        overdue = [
            labels[name]
            for name, cutoff in cutoffs.items()
            if getattr(review, name) is None and review.held_on <= cutoff
        ]
        rows.append(OverdueRecord(review, overdue))
    return rows


def my_work(user, *, today: date, lead: int) -> MyWork:
    start = week_start(today)
    meetings = list(
        meetings_between(start, start + timedelta(days=7)).filter(chair=user).prefetch_related(None)
    )
    for meeting in meetings:
        meeting.chair = user  # every one is the user's: no need to read the chair again
    details = meeting_details(meetings)
    return MyWork(
        due=reviews_due_unbooked(user, today=today, lead=lead),
        meetings=[
            ScheduleRow(m, details.get(m.pk) or MeetingDetail(label=m.get_kind_display()))
            for m in meetings
        ],
        overdue_records=records_overdue(user, today=today),
    )


def unbooked_past_target(*, today: date, lead: int, team=None) -> QuerySet[Review]:
    """Reviews not yet booked that have missed the booking target (the managers' chase list),
    with the child's CLA IRO, by due date; only children whose CLA IRO is in `team` when one
    is given."""
    cutoff = rules.latest_due_past_booking_target(today, lead)
    iro = Allocation.objects.filter(
        child=OuterRef("child_id"), role=AllocationRole.CLA, end__isnull=True
    )
    reviews = Review.objects.all()
    if team is not None:
        reviews = reviews.filter(Exists(iro.filter(iro__team=team)))
    return (
        reviews.filter(status=ReviewStatus.DUE, due_date__lte=cutoff)
        .select_related("child")
        .annotate(
            iro_first_name=Subquery(iro.values("iro__first_name")[:1]),
            iro_last_name=Subquery(iro.values("iro__last_name")[:1]),
        )
        .order_by("due_date", "id")
    )


def reviews_of_child(child) -> list[Review]:
    return list(
        Review.objects.filter(child=child)
        .select_related("meeting", "meeting__chair")
        .order_by("-due_date", "-id")
    )
