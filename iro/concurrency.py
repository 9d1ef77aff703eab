"""Optimistic concurrency: lost updates are refused, in one place for every edited case record.

Each edited case model carries a `version` (the `Versioned` mixin) that goes up by one on every
save. An edit form carries the version the user opened in a hidden field, and an API client
sends it as `version` (or in an `If-Match` header). The service locks the row (SELECT ... FOR
UPDATE) and compares: a different version means someone else saved first, and the save is refused
with `StaleRecord`. Pages show the message on the form with what the user typed (status 400, like
any refused form); the API answers 409 Conflict.
"""

from __future__ import annotations

from contextlib import contextmanager

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import F
from rest_framework import status
from rest_framework.exceptions import APIException

STALE_MESSAGE = (
    "Someone else changed this record since you opened it. Your changes have not been saved. "
    "Check the record as it is now, then save your changes again."
)


class StaleRecord(ValidationError):
    """The record changed since the user opened it (a form-level error with code "stale")."""

    def __init__(self, message: str = STALE_MESSAGE, *, current_version: int | None = None):
        # A form-level (non-field) error, so every form helper shows it above the fields.
        super().__init__({NON_FIELD_ERRORS: [ValidationError(message, code="stale")]})
        self.current_version = current_version


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = STALE_MESSAGE
    default_code = "stale"


class Versioned(models.Model):
    """A version number that goes up by one on every save of an existing row."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            self.version = (self.version or 0) + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)


def check_version(locked: Versioned, expected: int | None) -> None:
    """Compare the version the user opened with the locked row's; None skips the check (a client
    that sends no version takes the last-writer-wins behaviour explicitly)."""
    if expected is not None and int(expected) != locked.version:
        raise StaleRecord(current_version=locked.version)


@contextmanager
def guard(model: type[Versioned], pk: int, expected: int | None):
    """Run a service that writes a versioned record under this check, atomically.

    Locks the row (SELECT ... FOR UPDATE), compares the version the user opened, runs the block
    (the service, in the same transaction), and makes sure the version went up even when the
    service changed only related rows (a meeting, a stage), so the next stale save is caught.
    """
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=pk)
        check_version(locked, expected)
        yield locked
        after = model._default_manager.filter(pk=pk).values_list("version", flat=True).first()
        if after == locked.version:
            model._default_manager.filter(pk=pk).update(version=F("version") + 1)


def is_stale(error: ValidationError) -> bool:
    if isinstance(error, StaleRecord):
        return True
    errors = getattr(error, "error_dict", {}).get(NON_FIELD_ERRORS, [])
    return any(getattr(e, "code", None) == "stale" for e in errors)


def api_error(error: ValidationError) -> APIException:
    """The DRF exception for a service's ValidationError: 409 when stale, else 400 with fields."""
    from rest_framework.exceptions import ValidationError as ApiValidationError

    if is_stale(error):
        return Conflict()
    if hasattr(error, "error_dict"):
        return ApiValidationError(
            {
                ("non_field_errors" if k == "__all__" else k): v
                for k, v in error.message_dict.items()
            }
        )
    return ApiValidationError({"non_field_errors": error.messages})


def version_from_request(request, data=None) -> int | None:
    """The version an API client sends: `version` in the body, or an If-Match header."""
    data = request.data if data is None else data
    raw = data.get("version") if hasattr(data, "get") else None
    if raw in (None, ""):
        raw = (request.headers.get("If-Match") or "").strip().strip('"').removeprefix("W/")
        raw = raw.strip('"')
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except (TypeError, ValueError):
        from rest_framework.exceptions import ValidationError as ApiValidationError

        raise ApiValidationError({"version": ["Version must be a whole number"]}) from None


class VersionField(forms.IntegerField):
    """The hidden field of an edit form that carries the version the user opened."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(**kwargs)


class VersionedForm(forms.Form):
    """Mixin of an edit form: carries the version of the record the user opened."""

    version = VersionField()

    def full_clean(self):
        from iro.form_fields import bound_text_fields

        bound_text_fields(self)  # every text box has a maximum length (iro/validators.py)
        super().full_clean()


def keep_typed_with_current_version(form: forms.BaseForm, current_version: int | None) -> None:
    """After a stale save: keep what the user typed, and carry the current version so that
    saving again (having seen the message) is accepted."""
    if form.is_bound and current_version is not None:
        data = form.data.copy()  # type: ignore[attr-defined]
        data[form.add_prefix("version")] = current_version
        form.data = data
