"""Reads of the protection app: one queryset per use case, computed in the database.

"On a plan on day D": start <= D and (no end, or end > D) (rules.is_on_plan). Months on plan use
the same month arithmetic as rules.months_between (same day number, clamped to month end),
expressed in SQL so lists never loop over children in Python.
"""

from calendar import monthrange
from datetime import date, timedelta

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone

from iro.access import children_visible_to
from iro.models import Allocation, Meeting, MeetingStatus
from iro.rules import LATE_FLAG, add_working_days, booking_deadline
from protection import rules
from protection.models import (
    OPEN_CONFERENCE_STATUSES,
    Conference,
    ConferenceKind,
    ConferenceStatus,
    CoreGroupMeeting,
    ProtectionPlan,
    StrategyDiscussion,
)


def plans_open_on(on: date) -> QuerySet[ProtectionPlan]:
    return ProtectionPlan.objects.filter(Q(end__isnull=True) | Q(end__gt=on), start__lte=on)


def cp_plan_child_ids(on: date):
    """Provider for iro.selectors.child_status_on: ids of children on a plan on `on`."""
    return plans_open_on(on).values_list("child_id", flat=True)


def months_on_plan_expression(on: date):
    """SQL for rules.months_between(start, on): whole months on the plan by `on`."""
    raw = (Value(on.year) - ExtractYear("start")) * 12 + (Value(on.month) - ExtractMonth("start"))
    if on.day == monthrange(on.year, on.month)[1]:
        return raw
    # Not yet the same day number this month (start's day is later than today's).
    return raw - Case(
        When(start__day__gt=on.day, then=Value(1)), default=Value(0), output_field=IntegerField()
    )


def _previous_plan_end_within_window():
    """Exists a previous plan of the same child that ended 24 months or less before this one started."""
    return Exists(
        ProtectionPlan.objects.filter(
            child=OuterRef("child"),
            end__isnull=False,
            end__lte=OuterRef("start"),
            end__gte=_start_minus_window(),
        ).exclude(pk=OuterRef("pk"))
    )


def _start_minus_window():
    return Func(
        OuterRef("start"),
        template=f"(%(expressions)s - interval '{rules.REPEAT_PLAN_WINDOW_MONTHS} months')::date",
        output_field=DateField(),
    )


def annotate_plans(qs: QuerySet[ProtectionPlan], on: date) -> QuerySet[ProtectionPlan]:
    """Months on plan, previous plans counted from history, repeat within 2 years, next review."""
    next_review = Conference.objects.filter(
        plan=OuterRef("pk"), status__in=OPEN_CONFERENCE_STATUSES
    ).order_by("due")
    last_review = Conference.objects.filter(
        plan=OuterRef("pk"), status=ConferenceStatus.HELD
    ).order_by("-held_on")
    earlier = (
        ProtectionPlan.objects.filter(child=OuterRef("child"), start__lt=OuterRef("start"))
        .order_by()
        .values("child")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        months_on_plan=months_on_plan_expression(on),
        previous_plans_from_history=Coalesce(Subquery(earlier), 0),
        repeat_within_two_years=_previous_plan_end_within_window(),
        next_review_due=Subquery(next_review.values("due")[:1]),
        last_review_held=Subquery(last_review.values("held_on")[:1]),
    )


def plan_list(
    *,
    user,
    on: date | None = None,
    min_months: int | None = None,
    subsequent: str = "",
    include_ended: bool = False,
) -> QuerySet[ProtectionPlan]:
    """Plans the user may see (`user` None: every plan, for the panel lists, which name only the
    children the reader may see through iro.access.split_visible), open on `on` unless ended
    ones are asked for, with their annotations.

    `min_months`: 15 for the monthly review panel, 24 for plans at two years or more.
    `subsequent`: "ever" for a second or subsequent plan (previous plans >= 1), "2y" for one that
    started within 2 years of a previous plan ending.
    """
    on = on or timezone.localdate()
    base = ProtectionPlan.objects.all() if include_ended else plans_open_on(on)
    if user is not None:
        base = base.filter(child__in=children_visible_to(user))
    qs = annotate_plans(
        base.select_related("child")
        # A few dozen chairs for hundreds of plans: read once each, not joined on every row.
        .prefetch_related("chair"),
        on,
    )
    if min_months:
        qs = qs.filter(months_on_plan__gte=min_months)
    if subsequent == "ever":
        qs = qs.filter(previous_plans_from_history__gte=1)
    elif subsequent == "2y":
        qs = qs.filter(repeat_within_two_years=True)
    return qs.order_by("start", "child__last_name", "pk")


def panel_summary(*, user, on: date) -> dict[str, int]:
    """The counts at the top of the panel lists, in one query (`user` None: every plan)."""
    base = plans_open_on(on)
    if user is not None:
        base = base.filter(child__in=children_visible_to(user))
    qs = annotate_plans(base, on)
    return qs.aggregate(
        open=Count("pk"),
        at_15_months=Count("pk", filter=Q(months_on_plan__gte=rules.PANEL_MONTHS)),
        at_2_years=Count("pk", filter=Q(months_on_plan__gte=rules.LONG_PLAN_MONTHS)),
        subsequent_ever=Count("pk", filter=Q(previous_plans_from_history__gte=1)),
        subsequent_2y=Count("pk", filter=Q(repeat_within_two_years=True)),
    )


def conferences_for(user) -> QuerySet[Conference]:
    return Conference.objects.filter(child__in=children_visible_to(user)).select_related(
        "child", "meeting", "meeting__chair", "plan", "strategy_discussion"
    )


def my_conference_ids(*, user) -> list[int]:
    """Open conferences an IRO chairs, by due date: booked with them, or not yet booked for a
    child allocated to them (as CP chair, or as reviewing officer: the dual role chairs the
    initial conference).

    Ids only: joined in one query with the visibility conditions and the rows' child, meeting
    and plan, PostgreSQL misjudged how few rows match and read every meeting to join them."""
    allocated = Allocation.objects.filter(iro=user, end__isnull=True).values("child_id")
    chaired = Meeting.objects.filter(chair=user).values("pk")
    return list(
        Conference.objects.filter(child__in=children_visible_to(user))
        .filter(status__in=OPEN_CONFERENCE_STATUSES)
        .filter(Q(meeting__in=chaired) | Q(meeting__isnull=True, child__in=allocated))
        .order_by("due", "pk")
        .values_list("pk", flat=True)
    )


def conferences_by_id(ids: list[int]) -> QuerySet[Conference]:
    """The conferences with these ids (already checked for the user), with what lists show."""
    return (
        Conference.objects.filter(pk__in=ids)
        .select_related("child", "meeting", "meeting__chair", "plan", "strategy_discussion")
        .order_by("due", "pk")
    )


def my_conferences(*, user) -> QuerySet[Conference]:
    """The conferences of my_conference_ids, read with their child, meeting and plan."""
    return conferences_by_id(my_conference_ids(user=user))


def child_history(child):
    """A child's CP history: discussions, conferences, plans with core groups."""
    return {
        "discussions": list(StrategyDiscussion.objects.filter(child=child)),
        "conferences": list(
            Conference.objects.filter(child=child)
            .select_related("meeting", "meeting__chair")
            .order_by("-due", "-pk")
        ),
        "plans": list(
            ProtectionPlan.objects.filter(child=child)
            .select_related("chair")
            .order_by("-start", "id")
        ),
    }


# Reminders: what is due and overdue, for a reminders feature to pick up.


def conferences_due_soon_not_booked(*, today: date, working_days: int = 10) -> QuerySet[Conference]:
    """Conferences not booked whose booking deadline (10 working days before due) has arrived."""
    horizon = add_working_days(today, working_days)
    return Conference.objects.filter(
        status=ConferenceStatus.DUE, due__gte=today, due__lte=horizon
    ).select_related("child")


def conferences_overdue(*, today: date) -> QuerySet[Conference]:
    """Conferences not held whose due date has passed."""
    return Conference.objects.filter(
        status__in=OPEN_CONFERENCE_STATUSES, due__lt=today
    ).select_related("child", "meeting")


def rcpcs_due(*, today: date, within_days: int = 31) -> QuerySet[Conference]:
    """Review conferences due in the coming month (booked or not)."""
    return Conference.objects.filter(
        kind=ConferenceKind.RCPC,
        status__in=OPEN_CONFERENCE_STATUSES,
        due__gte=today,
        due__lte=today + timedelta(days=within_days),
    ).select_related("child", "meeting")


def core_groups_overdue(*, today: date) -> QuerySet[ProtectionPlan]:
    """Open plans past their first core group due date with no core group recorded."""
    return (
        ProtectionPlan.objects.filter(end__isnull=True, first_core_group_due__lt=today)
        .exclude(Exists(CoreGroupMeeting.objects.filter(plan=OuterRef("pk"))))
        .select_related("child", "chair")
    )


def conference_flags(conference: Conference) -> tuple[str, ...]:
    """Warnings shown next to a conference on schedules and lists."""
    flags = []
    meeting = conference.meeting
    if meeting is not None and meeting.status == MeetingStatus.BOOKED:
        day = timezone.localdate(meeting.starts_at)
        if day > conference.due:
            flags.append(LATE_FLAG)
        if timezone.localdate(meeting.booked_at) > booking_deadline(conference.due):
            flags.append("Booked less than 10 working days ahead")
    elif meeting is not None and meeting.status == MeetingStatus.HELD:
        # Held after its due date: late wherever meetings are listed (schedule, my work, record).
        held_on = conference.held_on or timezone.localdate(meeting.starts_at)
        if held_on > conference.due:
            flags.append(LATE_FLAG)
    elif conference.status == ConferenceStatus.DUE:
        if timezone.localdate() > conference.due:
            flags.append("Overdue")
        elif timezone.localdate() >= booking_deadline(conference.due):
            flags.append("Not booked")
    return tuple(flags)


def timeliness(held_on: date | None, due: date) -> bool | None:
    return None if held_on is None else rules.in_timescale(held_on, due)
