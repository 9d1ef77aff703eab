"""Helpers shared by the protection services: row locks, validation before save."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from iro.models import Child, MeetingKind
from protection.models import Conference, ConferenceKind, ProtectionPlan

MEETING_KIND = {
    ConferenceKind.ICPC: MeetingKind.ICPC,
    ConferenceKind.RCPC: MeetingKind.RCPC,
    ConferenceKind.TRANSFER_IN: MeetingKind.TRANSFER_IN,
}


def lock_child(child: Child) -> Child:
    return Child.objects.select_for_update().get(pk=child.pk)


def lock_conference(conference: Conference) -> Conference:
    return Conference.objects.select_for_update().get(pk=conference.pk)


def save_valid(obj) -> None:
    obj.full_clean()
    obj.save()


def open_plan(child: Child) -> ProtectionPlan | None:
    return ProtectionPlan.objects.filter(child=child, end__isnull=True).first()


def check_not_in_future(value: date, field: str, today: date | None = None) -> None:
    if value > (today or timezone.localdate()):
        raise ValidationError({field: "The date must be today or in the past."})
