"""Reminders of looked-after reviews (daily rules), registered in ReviewsConfig.ready().

- Not booked as the booking deadline nears, on the day, and after it; booked for after the due
  date (iro.notifications.booking).
- The social worker's report not received 3 working days before a booked review: to the IRO.
- Review record milestones overdue (5 / 15 / 20 working days after the review): to the IRO;
  5 working days later still not done, to the team manager.
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
from iro.rules import add_working_days
from reviews import rules
from reviews.models import Review, ReviewStatus

LABEL = "CLA review"
MANAGER_AFTER_WORKING_DAYS = 5
# Held reviews older than this are no longer chased for their record.
MILESTONE_LOOKBACK_DAYS = 120
MILESTONE_NAMES = {
    "manager_informed_on": "team manager informed of the outcome",
    "record_completed_on": "review record completed",
    "record_distributed_on": "review record distributed",
}

KINDS = {
    **booking_kinds("review", LABEL),
    "review_sw_report_missing": "The social worker's report for a booked review has not arrived",
    "review_record_overdue": "A review record milestone is overdue",
    "review_record_overdue_manager": "A review record milestone is overdue (team managers)",
}


def _with_iro(qs):
    return qs.annotate(
        cla_iro_id=Subquery(
            Allocation.objects.filter(
                child=OuterRef("child"), role=AllocationRole.CLA, end__isnull=True
            ).values("iro")[:1]
        )
    ).select_related("child", "meeting")


def _due_meeting(review: Review) -> DueMeeting:
    iro_id = review.cla_iro_id or (review.meeting.chair_id if review.meeting else None)
    meeting_day = timezone.localdate(review.meeting.starts_at) if review.meeting else None
    return DueMeeting(
        object_type="reviews.review",
        object_id=review.pk,
        label=LABEL,
        child=review.child,
        due=review.due_date,
        iro_id=iro_id,
        url=reverse("reviews:detail", args=[review.pk]),
        meeting_day=meeting_day,
    )


def booking(today: date) -> list[Reminder]:
    lead = ServiceSettings.load().booking_lead_working_days
    due = _with_iro(
        Review.objects.filter(
            status=ReviewStatus.DUE, due_date__lte=latest_due_to_consider(today, lead)
        )
    )
    booked = _with_iro(
        Review.objects.filter(
            status=ReviewStatus.BOOKED, meeting__starts_at__date__gt=F("due_date")
        )
    )
    return unbooked_reminders(
        "review", map(_due_meeting, due), today, lead
    ) + booked_late_reminders("review", map(_due_meeting, booked))


def sw_report_missing(today: date) -> list[Reminder]:
    """Booked reviews within 3 working days with no social worker's report: to the IRO."""
    horizon = add_working_days(today, rules.SW_REPORT_WORKING_DAYS_BEFORE)
    reviews = _with_iro(
        Review.objects.filter(
            status=ReviewStatus.BOOKED,
            sw_report_received_on__isnull=True,
            meeting__starts_at__date__gte=today,
            meeting__starts_at__date__lte=horizon,
        )
    )
    reminders = []
    for review in reviews:
        meeting_day = timezone.localdate(review.meeting.starts_at)
        if today < rules.sw_report_target(meeting_day):
            continue
        iro_id = review.meeting.chair_id or review.cla_iro_id
        text = f"on {day(meeting_day)}: the social worker's report has not been received"
        reminders.append(
            Reminder(
                kind="review_sw_report_missing",
                recipient_id=iro_id,
                object_type="reviews.review",
                object_id=review.pk,
                due_date=meeting_day,
                text=f"{LABEL} of {child_label(review.child)} {text}",
                text_anonymous=f"A {LABEL} {text}",
                url=reverse("reviews:detail", args=[review.pk]),
                child_ids=(review.child_id,),
            )
        )
    return reminders


def record_overdue(today: date) -> list[Reminder]:
    """Milestones not done by their deadline: IRO; 5 working days later, the team manager."""
    reviews = list(
        _with_iro(
            Review.objects.filter(
                status=ReviewStatus.HELD,
                held_on__gte=today - timedelta(days=MILESTONE_LOOKBACK_DAYS),
                held_on__lt=today,
            )
        )
    )
    managers = team_manager_ids_for(
        {r.cla_iro_id or (r.meeting.chair_id if r.meeting else None) for r in reviews}
    )
    reminders = []
    for review in reviews:
        iro_id = review.cla_iro_id or (review.meeting.chair_id if review.meeting else None)
        for field, working_days in rules.MILESTONES.items():
            if getattr(review, field) is not None:
                continue
            deadline = add_working_days(review.held_on, working_days)
            if today <= deadline:
                continue
            what = f"{MILESTONE_NAMES[field]} was due by {day(deadline)} and is overdue"
            base = {
                "object_type": "reviews.review",
                "object_id": review.pk,
                "due_date": deadline,
                "url": reverse("reviews:detail", args=[review.pk]),
                "child_ids": (review.child_id,),
            }
            named = f"{LABEL} of {child_label(review.child)} held {day(review.held_on)}: {what}"
            anonymous = f"A {LABEL} held {day(review.held_on)}: {what}"
            if iro_id:
                reminders.append(
                    Reminder(
                        kind="review_record_overdue",
                        recipient_id=iro_id,
                        text=named,
                        text_anonymous=anonymous,
                        **base,
                    )
                )
            if today > add_working_days(deadline, MANAGER_AFTER_WORKING_DAYS):
                for manager_id in managers[iro_id]:
                    reminders.append(
                        Reminder(
                            kind="review_record_overdue_manager",
                            recipient_id=manager_id,
                            text=named,
                            text_anonymous=anonymous,
                            **base,
                        )
                    )
    return reminders


def register() -> None:
    registry.add("notification_kinds", KINDS)
    # Emailed unless the user chooses otherwise: a review due soon, and one overdue for booking.
    registry.add(
        "email_default_kinds",
        ("review_booking_soon", "review_booking_deadline", "review_booking_missed"),
    )
    for rule in [
        ReminderRule(
            "review_booking",
            "daily",
            booking,
            "CLA reviews to book, or booked late",
            kinds=tuple(booking_kinds("review", LABEL)),
        ),
        ReminderRule(
            "review_sw_report",
            "daily",
            sw_report_missing,
            "Social worker's reports",
            kinds=("review_sw_report_missing",),
        ),
        ReminderRule(
            "review_record",
            "daily",
            record_overdue,
            "Review record milestones",
            kinds=("review_record_overdue", "review_record_overdue_manager"),
        ),
    ]:
        registry.add("reminder_rules", rule)
