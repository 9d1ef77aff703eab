"""The case core's own reminders and events: allocations.

- Event: a child allocated or reallocated, to the new IRO (and the one who had the child).
- Rule (hourly, as the target is in hours): a child still waiting for an IRO after the allocation target (72 hours by
  default), to the team managers.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from iro.models import Allocation, AllocationRequest, ServiceSettings
from iro.notifications.people import child_label, day, team_manager_ids_for
from iro.notifications.services import notifications_create
from iro.registry import Reminder, ReminderRule, registry

KINDS = {
    "allocation_new": "A child is allocated to you",
    "allocation_moved": "A child of yours is reallocated to another IRO",
    "unallocated_overdue": "A child is still waiting for an IRO after the allocation target",
    "iro_left": "An IRO left: their children were handed over or need an IRO",
}


def allocation_changed(*, allocation: Allocation, previous: Allocation | None = None) -> None:
    """Tell the new IRO, and the previous one on a reallocation. Call inside the transaction."""
    child = allocation.child
    role = allocation.get_role_display()
    url = reverse("children:detail", args=[child.pk])
    reminders = [
        Reminder(
            kind="allocation_new",
            recipient_id=allocation.iro_id,
            object_type="iro.allocation",
            object_id=allocation.pk,
            due_date=None,
            text=f"You are the {role} for {child_label(child)} from {day(allocation.start)}",
            text_anonymous=f"A child is allocated to you as {role} from {day(allocation.start)}",
            url=url,
            child_ids=(child.pk,),
        )
    ]
    if previous is not None and previous.iro_id != allocation.iro_id:
        reminders.append(
            Reminder(
                kind="allocation_moved",
                recipient_id=previous.iro_id,
                object_type="iro.allocation",
                object_id=previous.pk,
                due_date=None,
                text=f"{child_label(child)} is reallocated to {allocation.iro} from "
                f"{day(allocation.start)}",
                text_anonymous=f"A child you were {role} for is reallocated to another IRO from "
                f"{day(allocation.start)}",
                url=url,
                child_ids=(child.pk,),
            )
        )
    notifications_create(reminders=reminders)


def iro_left(*, iro, last_day: date, count: int, handover_to=None) -> None:
    """Tell the manager of a leaving IRO's team (every team manager when it has none) what
    became of their children (iro.services.allocations.staff_leave). Call inside the
    transaction. Names no child, so the text is the same for every recipient."""
    if handover_to is not None:
        text = (
            f"{iro} left on {day(last_day)}: {count} allocation{'s' if count != 1 else ''} "
            f"handed over to {handover_to}"
        )
        url = reverse("caseloads:list")
    else:
        text = (
            f"{iro} left on {day(last_day)}: {count} child{'ren' if count != 1 else ''} "
            "need a new IRO"
        )
        url = reverse("allocations:unallocated")
    notifications_create(
        reminders=[
            Reminder(
                kind="iro_left",
                recipient_id=manager_id,
                object_type="iro.user",
                object_id=iro.pk,
                due_date=last_day,
                text=text,
                text_anonymous=text,
                url=url,
            )
            for manager_id in team_manager_ids_for([iro.pk])[iro.pk]
        ]
    )


def unallocated_overdue(today: date) -> list[Reminder]:
    """Children waiting longer than the allocation target for an IRO: to the team managers."""
    hours = ServiceSettings.load().allocation_target_hours
    cutoff = timezone.now() - timedelta(hours=hours)
    waiting = AllocationRequest.objects.filter(
        fulfilled_at__isnull=True, notified_at__lte=cutoff
    ).select_related("child")
    managers = team_manager_ids_for([None])[None]
    url = reverse("allocations:unallocated")
    reminders = []
    for request in waiting:
        notified = timezone.localtime(request.notified_at)
        for manager_id in managers:
            reminders.append(
                Reminder(
                    kind="unallocated_overdue",
                    recipient_id=manager_id,
                    object_type="iro.allocationrequest",
                    object_id=request.pk,
                    due_date=notified.date(),
                    text=f"{child_label(request.child)} has waited more than {hours} hours for "
                    f"an IRO ({request.get_role_display()}, since {notified:%-d %b %Y %H:%M})",
                    text_anonymous=f"A child has waited more than {hours} hours for an IRO "
                    f"(since {notified:%-d %b %Y %H:%M})",
                    url=url,
                    child_ids=(request.child_id,),
                )
            )
    return reminders


def register() -> None:
    registry.add("notification_kinds", KINDS)
    # Emailed unless the user chooses otherwise: a child allocated to you.
    registry.add("email_default_kinds", ("allocation_new",))
    registry.add(
        "reminder_rules",
        ReminderRule(
            "unallocated_overdue",
            "hourly",
            unallocated_overdue,
            "Children still without an IRO after the allocation target",
            kinds=("unallocated_overdue",),
        ),
    )
