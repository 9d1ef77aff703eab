"""Care episode writes: start care, change legal status or placement, end care, correct.

Every write locks the child row (select_for_update), builds the history the change would produce
and checks it with iro.episode_rules.history_problems, so two simultaneous changes to one child
cannot both pass the checks. After a change: care_episodes_changed, and period_of_care_started
for an RNE S episode (the reviews app recomputes due reviews from these).
"""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from iro import date_bounds
from iro import episode_rules as rules
from iro.codes import RETIRED_PLACEMENT_TYPES
from iro.concurrency import check_version
from iro.models import AllocationRequest, AllocationRole, CareEpisode, Child
from iro.models.allocations import Allocation
from iro.signals import care_episodes_changed, period_of_care_started

RULE_FIELDS = [f.name for f in dataclass_fields(rules.Episode) if f.name != "key"]
PLACEMENT_FIELDS = [
    "placement_type",
    "placement_provider",
    "placement_postcode",
    "placement_urn",
    "home_postcode",
    "distance_miles",
    "placement_location",
]


def as_rule_episode(episode: CareEpisode) -> rules.Episode:
    return rules.Episode(**{name: getattr(episode, name) for name in RULE_FIELDS}, key=episode.pk)


def _lock_child(child: Child) -> Child:
    return Child.objects.select_for_update().get(pk=child.pk)


def _existing(child: Child) -> list[CareEpisode]:
    return list(CareEpisode.objects.filter(child=child).order_by("start", "id"))


def _check(child: Child, proposed: list[rules.Episode], key: object) -> None:
    """Raise ValidationError with field errors for the episode `key` if the history breaks a rule."""
    history = rules.sort_history(proposed)
    problems = rules.history_problems(history, child.date_of_birth)
    if problems:
        index = next(i for i, e in enumerate(history) if e.key is key or e.key == key)
        raise ValidationError(rules.problems_by_field(problems, index))


def _check_current_codes(episode: rules.Episode) -> None:
    problems = rules.retired_code_problems(episode)
    if problems:
        raise ValidationError(problems)


def _announce(child: Child, changed_from: date, started: CareEpisode | None = None) -> None:
    care_episodes_changed.send(sender=CareEpisode, child=child, changed_from=changed_from)
    if started is not None:
        period_of_care_started.send(sender=CareEpisode, child=child, episode=started)


def _save(episode: CareEpisode) -> CareEpisode:
    from iro.postcodes import episode_distance

    episode_distance(episode)
    episode.full_clean()
    episode.save()
    return episode


NEW = object()


def _request_cla_allocation(child: Child) -> None:
    """A new period of care: ask for a CLA reviewing officer unless one is allocated or asked for."""
    if Allocation.objects.filter(child=child, role=AllocationRole.CLA, end__isnull=True).exists():
        return
    if AllocationRequest.objects.filter(
        child=child, role=AllocationRole.CLA, fulfilled_at__isnull=True
    ).exists():
        return
    AllocationRequest.objects.create(
        child=child, role=AllocationRole.CLA, notified_at=timezone.now()
    )


@transaction.atomic
def care_start(
    *,
    child: Child,
    start: date,
    legal_status: str,
    category_of_need: str,
    placement_type: str,
    placement_provider: str = "",
    home_postcode: str = "",
    placement_postcode: str = "",
    placement_urn: str = "",
    distance_miles: Decimal | None = None,
    placement_location: str = "",
) -> CareEpisode:
    """Start a new period of care: an episode with RNE S (not before birth, not after today)."""
    child = _lock_child(child)
    date_bounds.care_start(child, start, timezone.localdate())
    existing = _existing(child)
    if any(e.end is None for e in existing):
        raise ValidationError(
            {"start": "This child is already looked after. Record a change or end care instead."}
        )
    episode = CareEpisode(
        child=child,
        start=start,
        reason_new_episode="S",
        legal_status=legal_status,
        category_of_need=category_of_need,
        placement_type=placement_type,
        placement_provider=placement_provider,
        home_postcode=home_postcode,
        placement_postcode=placement_postcode,
        placement_urn=placement_urn,
        distance_miles=distance_miles,
        placement_location=placement_location,
    )
    candidate = as_rule_episode(episode).with_(key=NEW)
    _check_current_codes(candidate)
    _check(child, [as_rule_episode(e) for e in existing] + [candidate], NEW)
    _save(episode)
    _request_cla_allocation(child)
    _announce(child, start, started=episode)
    return episode


@transaction.atomic
def care_change(
    *,
    child: Child,
    on: date,
    legal_status: str | None = None,
    placement_type: str | None = None,
    placement_provider: str | None = None,
    placement_postcode: str | None = None,
    placement_urn: str | None = None,
    home_postcode: str | None = None,
    distance_miles: Decimal | None = None,
    placement_location: str | None = None,
    carer_changed: bool = False,
    reason_place_change: str = "",
) -> CareEpisode:
    """Change legal status and/or placement on `on`: close the open episode with X1 and open the next.

    Arguments left as None keep the current value. The new episode's RNE comes from what changed
    (episode_rules.rne_for_change); the category of need carries over.
    """
    child = _lock_child(child)
    existing = _existing(child)
    current = next((e for e in existing if e.end is None), None)
    if current is None:
        raise ValidationError({"on": "This child is not looked after. Start care instead."})
    new = CareEpisode(
        child=child,
        start=on,
        legal_status=legal_status or current.legal_status,
        category_of_need=current.category_of_need,
        placement_type=current.placement_type if placement_type is None else placement_type,
        placement_provider=(
            current.placement_provider if placement_provider is None else placement_provider
        ),
        placement_postcode=(
            current.placement_postcode if placement_postcode is None else placement_postcode
        ),
        placement_urn=current.placement_urn if placement_urn is None else placement_urn,
        home_postcode=current.home_postcode if home_postcode is None else home_postcode,
        distance_miles=current.distance_miles if distance_miles is None else distance_miles,
        placement_location=(
            current.placement_location if placement_location is None else placement_location
        ),
    )
    before = as_rule_episode(current)
    after = as_rule_episode(new)
    try:
        new.reason_new_episode = rules.rne_for_change(
            legal_status_changed=before.legal_status != after.legal_status,
            placement_changed=rules.placement_changed(before, after),
            carer_changed=carer_changed,
        )
    except ValueError as exc:
        raise ValidationError({"__all__": str(exc)}) from None
    if on < current.start:
        raise ValidationError({"on": "The change cannot be before the current episode started."})
    closed = as_rule_episode(current).with_(
        end=on,
        reason_ceased=rules.X1,
        reason_place_change=(
            reason_place_change if new.reason_new_episode in {"P", "T", "B", "U"} else ""
        ),
    )
    candidate = as_rule_episode(new).with_(key=NEW)
    _check_current_codes(candidate)
    others = [as_rule_episode(e) for e in existing if e.pk != current.pk]
    proposed = others + [closed, candidate]
    history = rules.sort_history(proposed)
    problems = rules.history_problems(history, child.date_of_birth)
    if problems:
        index = next(i for i, e in enumerate(history) if e.key is NEW)
        errors = rules.problems_by_field(problems, index)
        # The reason for a placement change belongs to the closing episode but is asked for here.
        closed_index = next(i for i, e in enumerate(history) if e.key == current.pk)
        for problem in problems:
            if problem.index == closed_index and problem.field == "reason_place_change":
                errors.setdefault("reason_place_change", []).append(problem.message)
                errors["__all__"] = [m for m in errors.get("__all__", []) if m != problem.message]
                if not errors["__all__"]:
                    del errors["__all__"]
        raise ValidationError(errors)
    current.end = on
    current.reason_ceased = rules.X1
    current.reason_place_change = closed.reason_place_change
    _save(current)
    _save(new)
    _announce(child, on)
    return new


@transaction.atomic
def care_end(*, child: Child, on: date, reason_ceased: str) -> CareEpisode:
    """End the period of care on `on` with a reason other than X1."""
    if reason_ceased == rules.X1:
        raise ValidationError(
            {"reason_ceased": "X1 is for a change of episode. Choose the reason care ended."}
        )
    child = _lock_child(child)
    existing = _existing(child)
    current = next((e for e in existing if e.end is None), None)
    if current is None:
        raise ValidationError({"on": "This child is not looked after."})
    closed = as_rule_episode(current).with_(end=on, reason_ceased=reason_ceased)
    others = [as_rule_episode(e) for e in existing if e.pk != current.pk]
    _check(child, others + [closed], current.pk)
    current.end = on
    current.reason_ceased = reason_ceased
    _save(current)
    _announce(child, on)
    return current


EDITABLE_FIELDS = [
    "start",
    "reason_new_episode",
    "legal_status",
    "category_of_need",
    "placement_type",
    "placement_provider",
    "home_postcode",
    "placement_postcode",
    "placement_urn",
    "distance_miles",
    "placement_location",
    "end",
    "reason_ceased",
    "reason_place_change",
]


@transaction.atomic
def episode_correct(*, episode: CareEpisode, version: int | None = None, **changes) -> CareEpisode:
    """Correct a recorded episode; the whole history must still pass the rules.

    Retired codes may stay on an episode that already had them, but not be newly chosen.
    `version` is the one the user opened (iro.concurrency): a stale one is refused.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({"__all__": f"Cannot change {', '.join(sorted(unknown))}."})
    child = _lock_child(episode.child)
    existing = _existing(child)
    stored = next(e for e in existing if e.pk == episode.pk)
    check_version(stored, version)
    old_start = stored.start
    old_placement_type = stored.placement_type
    for name, value in changes.items():
        setattr(stored, name, value)
    if (
        "placement_type" in changes
        and changes["placement_type"] in RETIRED_PLACEMENT_TYPES
        and changes["placement_type"] != old_placement_type
    ):
        _check_current_codes(as_rule_episode(stored))
    _check(child, [as_rule_episode(e) for e in existing], stored.pk)
    _save(stored)
    _announce(child, min(old_start, stored.start))
    return stored
