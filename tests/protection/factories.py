"""Factories for the protection app, and helpers that go through the services."""

from datetime import date, datetime, time

import factory
from django.utils import timezone

from iro.codes import CategoryOfAbuse
from iro.meetings import DEFAULT_DURATION, clashes
from iro.models import VenueType
from iro.roles import Role
from protection import rules, services
from protection.models import (
    Conference,
    ConferenceKind,
    CoreGroupMeeting,
    PlanEndReason,
    ProtectionPlan,
    StrategyDiscussion,
)
from tests.iro.factories import ChildFactory, UserFactory


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


class StrategyDiscussionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategyDiscussion

    child = factory.SubFactory(ChildFactory)
    held_on = date(2025, 4, 10)
    s47_started = True
    s47_started_on = factory.LazyAttribute(lambda d: d.held_on if d.s47_started else None)


class ConferenceFactory(factory.django.DjangoModelFactory):
    """A due ICPC for a new child, unless told otherwise."""

    class Meta:
        model = Conference

    kind = ConferenceKind.ICPC
    child = factory.SubFactory(ChildFactory)
    due = date(2025, 5, 6)


class ProtectionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProtectionPlan

    child = factory.SubFactory(ChildFactory)
    start = date(2024, 1, 15)
    initial_category = CategoryOfAbuse.NEG
    latest_category = factory.LazyAttribute(lambda p: p.initial_category)
    chair = factory.SubFactory(UserFactory, role=Role.IRO)
    first_core_group_due = factory.LazyAttribute(lambda p: rules.first_core_group_due(p.start))
    end = None
    end_reason = factory.LazyAttribute(lambda p: PlanEndReason.NO_LONGER_AT_RISK if p.end else "")


class CoreGroupMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoreGroupMeeting

    plan = factory.SubFactory(ProtectionPlanFactory)
    held_on = factory.LazyAttribute(lambda m: m.plan.start)


def icpc_due_for(child, *, discussion_on=date(2025, 4, 10), by=None) -> Conference:
    """Record the strategy discussion that starts s47 enquiries; return the ICPC it makes due."""
    discussion = services.strategy_discussion_record(
        child=child,
        held_on=discussion_on,
        s47_started=True,
        s47_started_on=discussion_on,
        recorded_by=by,
    )
    return discussion.conferences.get()


def book(conferences, chair, day: date, hour: int = 10, **kwargs):
    if isinstance(conferences, Conference):
        conferences = [conferences]
    return services.conference_book(
        conferences=conferences,
        chair=chair,
        starts_at=at(day, hour),
        venue_type=VenueType.OFFICE,
        **kwargs,
    )


def free_hour(chair, day: date, first: int = 10) -> int:
    """The first hour from `first` (then earlier ones) at which `chair` has no meeting on `day`
    that a conference of the usual length would overlap: a chair cannot hold two meetings at
    once, booked or held, so factories that make many conferences of one chair spread them out."""
    length = DEFAULT_DURATION
    for hour in [*range(first, 22, 2), *range(first - 2, 5, -2)]:
        starts_at = at(day, hour)
        if not clashes(chair=chair, starts_at=starts_at, ends_at=starts_at + length).exists():
            return hour
    raise ValueError(f"{chair} has no free slot on {day}")


def plan_from_icpc(
    child,
    chair,
    *,
    discussion_on=date(2025, 4, 10),
    held_on=date(2025, 5, 1),
    category=CategoryOfAbuse.NEG,
) -> ProtectionPlan:
    """Strategy discussion, ICPC booked and held with a CP plan outcome: the plan it started."""
    conference = icpc_due_for(child, discussion_on=discussion_on)
    book(conference, chair, held_on, free_hour(chair, held_on))
    services.conference_record_outcome(
        conference=conference,
        held_on=held_on,
        outcome="cp_plan",
        category=category,
        recorded_by=chair,
    )
    return ProtectionPlan.objects.get(child=child, start=held_on)
