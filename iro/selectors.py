"""Reads of the case core: status of a child on a date, caseloads and lists.

"Looked after on date D": an episode with start <= D and no end, or an end after D (an episode
that ceases on D no longer covers the end of D; with X1 the next episode starts on D, so exactly
one episode covers each day of a period of care). Short breaks (legal status V3/V4) are not
counted as looked after (DfE CLA counts exclude them).
"""

from datetime import date
from enum import StrEnum

from django.db.models import Exists, OuterRef, Q, QuerySet

from iro.codes import SHORT_BREAK_LEGAL_STATUSES
from iro.models import CareEpisode, Child
from iro.registry import registry


class ChildStatus(StrEnum):
    LOOKED_AFTER = "looked_after"
    CP_PLAN = "cp_plan"
    DUAL = "dual"
    NEITHER = "neither"

    @property
    def label(self) -> str:
        return {
            "looked_after": "Looked after",
            "cp_plan": "On a child protection plan",
            "dual": "Looked after and on a child protection plan",
            "neither": "Neither looked after nor on a plan",
        }[self.value]


def episodes_covering(on: date) -> QuerySet[CareEpisode]:
    return CareEpisode.objects.filter(Q(end__isnull=True) | Q(end__gt=on), start__lte=on)


def looked_after_episodes_on(on: date) -> QuerySet[CareEpisode]:
    """Episodes that make a child looked after on `on` (short breaks excluded)."""
    return episodes_covering(on).exclude(legal_status__in=SHORT_BREAK_LEGAL_STATUSES)


def cp_plan_child_ids(on: date) -> QuerySet:
    """Ids of children on a child protection plan on `on`, from the protection app."""
    qs = None
    for provider in registry.cp_plan_child_ids:
        ids = provider(on)
        qs = ids if qs is None else qs.union(ids)
    return qs if qs is not None else Child.objects.none().values_list("pk", flat=True)


def annotate_status(queryset: QuerySet[Child], on: date) -> QuerySet[Child]:
    """Adds is_looked_after and on_cp_plan to each child, in the same query."""
    looked_after = looked_after_episodes_on(on).filter(child=OuterRef("pk"))
    qs = queryset.annotate(is_looked_after=Exists(looked_after))
    if registry.cp_plan_child_ids:
        qs = qs.annotate(on_cp_plan=Q(pk__in=cp_plan_child_ids(on)))
    else:
        qs = qs.annotate(on_cp_plan=Q(pk__in=[]))
    return qs


def status_from_flags(is_looked_after: bool, on_cp_plan: bool) -> ChildStatus:
    if is_looked_after and on_cp_plan:
        return ChildStatus.DUAL
    if is_looked_after:
        return ChildStatus.LOOKED_AFTER
    if on_cp_plan:
        return ChildStatus.CP_PLAN
    return ChildStatus.NEITHER


def child_status_on(child: Child, on: date) -> ChildStatus:
    """Whether `child` is looked after, on a CP plan, both (dual) or neither on `on`."""
    row = annotate_status(Child.objects.filter(pk=child.pk), on).values(  # type: ignore[misc]
        "is_looked_after", "on_cp_plan"
    )[0]
    return status_from_flags(row["is_looked_after"], row["on_cp_plan"])


def children_looked_after_on(on: date) -> QuerySet[Child]:
    return Child.objects.filter(Exists(looked_after_episodes_on(on).filter(child=OuterRef("pk"))))


def period_of_care_start(child: Child, on: date) -> date | None:
    """Start of the period of care (the latest RNE = S episode) that covers `on`, if any."""
    covering = episodes_covering(on).filter(child=child).first()
    if covering is None:
        return None
    start = (
        CareEpisode.objects.filter(child=child, reason_new_episode="S", start__lte=covering.start)
        .order_by("-start")
        .values_list("start", flat=True)
        .first()
    )
    return start
