"""Child record writes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from iro import date_bounds
from iro.codes import RETIRED_SEX
from iro.concurrency import check_version
from iro.models import Child

CHILD_FIELDS = [
    "la_child_id",
    "upn",
    "first_name",
    "last_name",
    "date_of_birth",
    "expected_date_of_birth",
    "sex",
    "ethnicity",
    "disability",
    "uasc",
    "uasc_ceased",
    "area",
    "sibling_group",
    "restricted",
]


def _validate(child: Child, previous_sex: str | None) -> None:
    if child.sex in RETIRED_SEX and child.sex != previous_sex:
        raise ValidationError({"sex": "Codes 1 and 2 are no longer used. Choose M, F or U."})
    if not child.date_of_birth and not child.expected_date_of_birth:
        raise ValidationError(
            {"date_of_birth": "Enter the date of birth, or the expected date of birth if unborn."}
        )
    if child.uasc_ceased and not child.uasc:
        raise ValidationError(
            {"uasc_ceased": "Only an unaccompanied asylum-seeking child has a date UASC ceased."}
        )
    # Field bounds first (iro/validators.py: formats, dates within the records' span), then the
    # dates that follow the child's birth.
    child.full_clean()
    date_bounds.not_before_birth(
        "uasc_ceased", child.uasc_ceased, child, "The date UASC status ceased"
    )
    date_bounds.not_before_birth(
        "mother_child_dob",
        child.mother_child_dob,
        child,
        "The date of birth of the child's first child",
    )


@transaction.atomic
def child_create(*, by=None, **data) -> Child:
    child = Child(created_by=by, **{k: v for k, v in data.items() if k in CHILD_FIELDS})
    _validate(child, None)
    child.save()
    return child


@transaction.atomic
def child_update(*, child: Child, version: int | None = None, **data) -> Child:
    """Save an edit of the child's details; `version` is the one the user opened (see
    iro.concurrency): a different stored version means someone else saved first."""
    child = Child.objects.select_for_update().get(pk=child.pk)
    check_version(child, version)
    previous_sex = child.sex
    for name, value in data.items():
        if name in CHILD_FIELDS:
            setattr(child, name, value)
    _validate(child, previous_sex)
    child.save()
    return child
