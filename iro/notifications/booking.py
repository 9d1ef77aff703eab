"""Booking reminders shared by every kind of meeting record (reviews, conferences).

A record is due on a date and must be booked by the booking deadline (ServiceSettings:
booking_lead_working_days, 10 by default). The feature apps turn their records into `DueMeeting`s
and these functions say who is told what:

- not booked, the deadline 5 working days away or nearer: the IRO ("<prefix>_booking_soon");
- not booked on the deadline day: the IRO again ("<prefix>_booking_deadline");
- not booked after the deadline: the IRO's team manager ("<prefix>_booking_missed");
- booked for a date after the due date: the IRO and the team manager ("<prefix>_booked_late").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from iro.notifications.people import child_label, day, team_manager_ids_for
from iro.registry import Reminder
from iro.rules import add_working_days, booking_deadline, working_days_between

WARNING_WORKING_DAYS = 5


@dataclass(frozen=True)
class DueMeeting:
    object_type: str
    object_id: int
    label: str  # "CLA review", "ICPC"
    child: object
    due: date
    iro_id: int | None
    url: str
    meeting_day: date | None = None  # when booked


def latest_due_to_consider(today: date, lead: int) -> date:
    """The latest due date whose booking deadline is at most 5 working days after `today`:
    one `due <= X` condition selects every record a booking rule may speak about."""
    horizon = add_working_days(today, WARNING_WORKING_DAYS)
    candidate = add_working_days(horizon, lead) + timedelta(days=7)
    while booking_deadline(candidate, lead) > horizon:
        candidate -= timedelta(days=1)
    return candidate


def booking_kinds(prefix: str, label: str) -> dict[str, str]:
    return {
        f"{prefix}_booking_soon": f"A {label} is not booked and its booking deadline is near",
        f"{prefix}_booking_deadline": f"A {label} is not booked on its booking deadline",
        f"{prefix}_booking_missed": f"A {label} is not booked after its booking deadline "
        "(team managers)",
        f"{prefix}_booked_late": f"A {label} is booked for after its due date",
    }


def unbooked_reminders(prefix: str, records, today: date, lead: int) -> list[Reminder]:
    records = list(records)
    managers = team_manager_ids_for({r.iro_id for r in records})
    reminders = []
    for r in records:
        deadline = booking_deadline(r.due, lead)
        base = {
            "object_type": r.object_type,
            "object_id": r.object_id,
            "due_date": r.due,
            "url": r.url,
            "child_ids": (r.child.pk,),
        }
        anonymous = f"A {r.label} due {day(r.due)}"
        named = f"{r.label} of {child_label(r.child)}, due {day(r.due)},"
        if today < deadline:
            if working_days_between(today, deadline) <= WARNING_WORKING_DAYS and r.iro_id:
                left = working_days_between(today, deadline)
                text = f"is not booked: book it by {day(deadline)} ({left} working day{'s' if left != 1 else ''} left)"
                reminders.append(
                    Reminder(
                        kind=f"{prefix}_booking_soon",
                        recipient_id=r.iro_id,
                        text=f"{named} {text}",
                        text_anonymous=f"{anonymous} {text}",
                        **base,
                    )
                )
        elif today == deadline:
            if r.iro_id:
                text = "is not booked: today is the last day to book it in time"
                reminders.append(
                    Reminder(
                        kind=f"{prefix}_booking_deadline",
                        recipient_id=r.iro_id,
                        text=f"{named[:-1]} {text}",
                        text_anonymous=f"{anonymous} {text}",
                        **base,
                    )
                )
        else:
            who = "no IRO" if r.iro_id is None else "its IRO"
            text = f"is still not booked; the booking deadline was {day(deadline)} ({who})"
            for manager_id in managers[r.iro_id]:
                reminders.append(
                    Reminder(
                        kind=f"{prefix}_booking_missed",
                        recipient_id=manager_id,
                        text=f"{named[:-1]} {text}",
                        text_anonymous=f"{anonymous} {text}",
                        **base,
                    )
                )
    return reminders


def booked_late_reminders(prefix: str, records) -> list[Reminder]:
    records = [r for r in records if r.meeting_day and r.meeting_day > r.due]
    managers = team_manager_ids_for({r.iro_id for r in records})
    reminders = []
    for r in records:
        recipients = [r.iro_id] if r.iro_id else []
        recipients += [m for m in managers[r.iro_id] if m not in recipients]
        text = f"is booked for {day(r.meeting_day)}, after its due date {day(r.due)}"
        for recipient in recipients:
            reminders.append(
                Reminder(
                    kind=f"{prefix}_booked_late",
                    recipient_id=recipient,
                    object_type=r.object_type,
                    object_id=r.object_id,
                    due_date=r.due,
                    text=f"{r.label} of {child_label(r.child)} {text}",
                    text_anonymous=f"A {r.label} {text}",
                    url=r.url,
                    child_ids=(r.child.pk,),
                )
            )
    return reminders
