"""Writes of the reporting app: publishing, withdrawing and correcting snapshots."""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from reporting import caching
from reporting.annual_data import build_report
from reporting.dashboard_data import build_board
from reporting.figures import SECTIONS, Period
from reporting.models import Snapshot, SnapshotKind
from reporting.suppression import report_for_board

MAX_COMMENTARY = 5000


def frozen_data(kind: str, as_at: date, year: int | None) -> dict:
    """The figures worked out now (not from the cache), aggregates only: what a snapshot
    published now would hold (the publish page previews it)."""
    if kind == SnapshotKind.DASHBOARD:
        return report_for_board(build_board(as_at), suppress=False)
    return report_for_board(build_report(Period.year(year)), suppress=False)  # type: ignore[arg-type]


def _clean_commentary(commentary: dict | None) -> dict:
    out = {}
    for key, text in (commentary or {}).items():
        if key not in SECTIONS:
            raise ValidationError({"commentary": f"Unknown section {key!r}."})
        text = (text or "").strip()
        if len(text) > MAX_COMMENTARY:
            raise ValidationError(
                {f"commentary_{key}": f"Keep the commentary under {MAX_COMMENTARY} characters."}
            )
        if text:
            out[key] = text
    return out


def _validate(kind: str, as_at: date | None, year: int | None) -> None:
    errors = {}
    if kind not in SnapshotKind.values:
        errors["kind"] = "Choose a board dashboard or an annual report."
    if as_at is None:
        errors["as_at"] = "Enter the date the figures are as at."
    elif as_at > timezone.localdate():
        errors["as_at"] = "The figures cannot be as at a date in the future."
    if kind == SnapshotKind.ANNUAL and (year is None or not 2000 <= year <= 2100):
        errors["year"] = "Enter the reporting year, for example 2024 for 2024/25."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def snapshot_publish(
    *,
    kind: str,
    by,
    as_at: date | None = None,
    year: int | None = None,
    commentary: dict | None = None,
    suppress_small_numbers: bool = True,
) -> Snapshot:
    """Freezes the board dashboard (as at `as_at`) or the annual report for `year`."""
    as_at = as_at or timezone.localdate()
    _validate(kind, as_at, year)
    commentary = _clean_commentary(commentary)
    data = frozen_data(kind, as_at, year)
    period = data["period"]
    snapshot = Snapshot.objects.create(
        kind=kind,
        series=uuid.uuid4(),
        version=1,
        title=data["title"]
        if kind == SnapshotKind.ANNUAL
        else "Corporate Parenting Board dashboard",
        as_at=as_at,
        period_start=date.fromisoformat(period["start"]),
        period_end=date.fromisoformat(period["end"]),
        suppress_small_numbers=suppress_small_numbers,
        data=data,
        commentary=commentary,
        published_by=by,
        published_at=timezone.now(),
    )
    caching.invalidate()
    return snapshot


@transaction.atomic
def snapshot_correct(
    *,
    snapshot: Snapshot,
    by,
    changes: str,
    commentary: dict | None = None,
    suppress_small_numbers: bool | None = None,
) -> Snapshot:
    """A new version of `snapshot` (figures worked out again for the same date and period, with
    new commentary) that says what changed. The earlier version stays as it was."""
    changes = (changes or "").strip()
    if not changes:
        raise ValidationError({"changes": "Say what this correction changes."})
    commentary = _clean_commentary(snapshot.commentary if commentary is None else commentary)
    latest = (
        Snapshot.objects.select_for_update().filter(series=snapshot.series).order_by("-version")
    )
    version = latest.first().version + 1  # type: ignore[union-attr]
    year = snapshot.period_start.year if snapshot.kind == SnapshotKind.ANNUAL else None
    data = frozen_data(snapshot.kind, snapshot.as_at, year)
    correction = Snapshot.objects.create(
        kind=snapshot.kind,
        series=snapshot.series,
        version=version,
        title=snapshot.title,
        as_at=snapshot.as_at,
        period_start=snapshot.period_start,
        period_end=snapshot.period_end,
        suppress_small_numbers=(
            snapshot.suppress_small_numbers
            if suppress_small_numbers is None
            else suppress_small_numbers
        ),
        data=data,
        commentary=commentary,
        changes=changes,
        supersedes=snapshot,
        published_by=by,
        published_at=timezone.now(),
    )
    caching.invalidate()
    return correction


@transaction.atomic
def snapshot_withdraw(*, snapshot: Snapshot, by, reason: str) -> Snapshot:
    """Hides `snapshot` from the board; it stays in the history."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the snapshot is withdrawn."})
    if snapshot.withdrawn:
        raise ValidationError({"reason": "This snapshot is already withdrawn."})
    snapshot.withdrawn = True
    snapshot.withdrawn_at = timezone.now()
    snapshot.withdrawn_by = by
    snapshot.withdrawn_reason = reason[:300]
    snapshot.save(update_fields=["withdrawn", "withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    caching.invalidate()
    return snapshot
