"""Reminders of child protection conferences and plans (daily rules), registered in
ProtectionConfig.ready().

- Conferences not booked as the booking deadline nears, on the day, and after it; booked for
  after the due date (iro.notifications.booking). The IRO is the child's CP chair.
- An ICPC not booked 5 working days after the strategy discussion: to the team managers.
- A CP plan reaching 15 months: to the team managers, for the panel list.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from iro.models import Allocation, AllocationRole, ServiceSettings
from iro.notifications.booking import (
    DueMeeting,
    booked_late_reminders,
    booking_kinds,
    latest_due_to_consider,
    unbooked_reminders,
)
from iro.notifications.people import child_label, day, team_manager_ids_for
from iro.registry import Reminder, ReminderRule, registry
from iro.rules import add_months, add_working_days
from protection import rules
from protection.models import Conference, ConferenceKind, ConferenceStatus, ProtectionPlan

ICPC_BOOKING_WORKING_DAYS = 5
# A plan that reached 15 months longer ago than this is already on the panel list.
PANEL_CATCH_UP_DAYS = 31

KINDS = {
    **booking_kinds("conference", "conference"),
    "icpc_not_booked": "An ICPC is not booked 5 working days after the strategy discussion",
    "cp_plan_15_months": "A child protection plan reaches 15 months (panel list)",
}


def _cp_iro():
    return Subquery(
        Allocation.objects.filter(
            child=OuterRef("child"), role=AllocationRole.CP, end__isnull=True
        ).values("iro")[:1]
    )


def _due_meeting(conference: Conference) -> DueMeeting:
    meeting = conference.meeting
    return DueMeeting(
        object_type="protection.conference",
        object_id=conference.pk,
        label=ConferenceKind(conference.kind).short,
        child=conference.child,
        due=conference.due,
        iro_id=conference.cp_iro_id or (meeting.chair_id if meeting else None),
        url=reverse("protection:conference_detail", args=[conference.pk]),
        meeting_day=timezone.localdate(meeting.starts_at) if meeting else None,
    )


def booking(today: date) -> list[Reminder]:
    lead = ServiceSettings.load().booking_lead_working_days
    due = Conference.objects.filter(
        status=ConferenceStatus.DUE, due__lte=latest_due_to_consider(today, lead)
    )
    booked = Conference.objects.filter(
        status=ConferenceStatus.BOOKED, meeting__starts_at__date__gt=F("due")
    )
    due, booked = (
        qs.annotate(cp_iro_id=_cp_iro()).select_related("child", "meeting") for qs in (due, booked)
    )
    return unbooked_reminders(
        "conference", map(_due_meeting, due), today, lead
    ) + booked_late_reminders("conference", map(_due_meeting, booked))


def icpc_not_booked(today: date) -> list[Reminder]:
    """ICPCs still not booked 5 working days after the strategy discussion: team managers."""
    conferences = list(
        Conference.objects.filter(
            kind=ConferenceKind.ICPC,
            status=ConferenceStatus.DUE,
            strategy_discussion__isnull=False,
            strategy_discussion__held_on__lt=today,
        )
        .annotate(cp_iro_id=_cp_iro())
        .select_related("child", "strategy_discussion")
    )
    managers = team_manager_ids_for({c.cp_iro_id for c in conferences})
    reminders = []
    for conference in conferences:
        held = conference.strategy_discussion.held_on
        if today < add_working_days(held, ICPC_BOOKING_WORKING_DAYS):
            continue
        text = (
            f"is not booked {ICPC_BOOKING_WORKING_DAYS} working days after the strategy "
            f"discussion of {day(held)}; it is due by {day(conference.due)}"
        )
        for manager_id in managers[conference.cp_iro_id]:
            reminders.append(
                Reminder(
                    kind="icpc_not_booked",
                    recipient_id=manager_id,
                    object_type="protection.conference",
                    object_id=conference.pk,
                    due_date=conference.due,
                    text=f"ICPC of {child_label(conference.child)} {text}",
                    text_anonymous=f"An ICPC {text}",
                    url=reverse("protection:conference_detail", args=[conference.pk]),
                    child_ids=(conference.child_id,),
                )
            )
    return reminders


def plan_15_months(today: date) -> list[Reminder]:
    """Open plans that reached 15 months in the last month: team managers, for the panel."""
    # add_months(start, 15) <= today  <=>  start <= today - 15 months (with clamping, checked below)
    latest_start = add_months(today, -rules.PANEL_MONTHS)
    earliest_start = add_months(today - timedelta(days=PANEL_CATCH_UP_DAYS), -rules.PANEL_MONTHS)
    plans = list(
        ProtectionPlan.objects.filter(
            end__isnull=True,
            start__lte=latest_start + timedelta(days=3),
            start__gte=earliest_start - timedelta(days=3),
        )
        .annotate(cp_iro_id=_cp_iro())
        .select_related("child")
    )
    managers = team_manager_ids_for({p.cp_iro_id for p in plans})
    reminders = []
    for plan in plans:
        reached = add_months(plan.start, rules.PANEL_MONTHS)
        if not (today - timedelta(days=PANEL_CATCH_UP_DAYS) <= reached <= today):
            continue
        text = (
            f"started {day(plan.start)} reached {rules.PANEL_MONTHS} months on {day(reached)}: "
            "add it to the panel list"
        )
        for manager_id in managers[plan.cp_iro_id]:
            reminders.append(
                Reminder(
                    kind="cp_plan_15_months",
                    recipient_id=manager_id,
                    object_type="protection.protectionplan",
                    object_id=plan.pk,
                    due_date=reached,
                    text=f"The child protection plan of {child_label(plan.child)} {text}",
                    text_anonymous=f"A child protection plan {text}",
                    url=reverse("protection:plan_detail", args=[plan.pk]),
                    child_ids=(plan.child_id,),
                )
            )
    return reminders


def register() -> None:
    registry.add("notification_kinds", KINDS)
    # Emailed unless the user chooses otherwise: a conference due soon, and one overdue for
    # booking (an ICPC not booked after the strategy discussion included).
    registry.add(
        "email_default_kinds",
        (
            "conference_booking_soon",
            "conference_booking_deadline",
            "conference_booking_missed",
            "icpc_not_booked",
        ),
    )
    for rule in [
        ReminderRule(
            "conference_booking",
            "daily",
            booking,
            "Conferences to book, or booked late",
            kinds=tuple(booking_kinds("conference", "conference")),
        ),
        ReminderRule(
            "icpc_not_booked",
            "daily",
            icpc_not_booked,
            "ICPCs not booked",
            kinds=("icpc_not_booked",),
        ),
        ReminderRule(
            "cp_plan_15_months",
            "daily",
            plan_15_months,
            "CP plans at 15 months",
            kinds=("cp_plan_15_months",),
        ),
    ]:
        registry.add("reminder_rules", rule)
