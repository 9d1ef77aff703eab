"""What the generator reads and draws from: each child's plan context on a day (from the care
episodes and CP allocations in memory), the responders at each level of the ladder, allocation
spans, and random working days.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from escalations import selectors
from escalations.models import (
    PlanContext,
)
from escalations.synthetic.mixes import DEFAULT_RESPONDERS
from iro.codes import SHORT_BREAK_LEGAL_STATUSES
from iro.models import Allocation, AllocationRole, CareEpisode, User
from iro.roles import group_name, responder_role
from iro.rules import is_working_day


def pick(rng, weighted):
    values = [v for v, _ in weighted]
    weights = [w for _, w in weighted]
    return rng.choices(values, weights=weights, k=1)[0]


def working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def at_ten(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


class PlansInMemory:
    """Plan context of a child on a date, from episodes and CP allocations held in memory."""

    def __init__(self):
        self.episodes = defaultdict(list)
        for child_id, start, end, legal in CareEpisode.objects.values_list(
            "child_id", "start", "end", "legal_status"
        ):
            if legal not in SHORT_BREAK_LEGAL_STATUSES:
                self.episodes[child_id].append((start, end))
        self.cp = defaultdict(list)
        for child_id, start, end in Allocation.objects.filter(role=AllocationRole.CP).values_list(
            "child_id", "start", "end"
        ):
            self.cp[child_id].append((start, end))

    @staticmethod
    def _covers(spans, on: date) -> bool:
        return any(start <= on and (end is None or end > on) for start, end in spans)

    def on(self, child_id: int, day: date) -> str:
        looked_after = self._covers(self.episodes[child_id], day)
        cp = self._covers(self.cp[child_id], day)
        if looked_after and cp:
            return PlanContext.DUAL
        if looked_after:
            return PlanContext.LOOKED_AFTER
        if cp:
            return PlanContext.CP_PLAN
        return PlanContext.NEITHER


def responders_by_level(ctx) -> dict[str, list[User]]:
    found = defaultdict(list)
    for user in selectors.responders():
        found[user.responder_level].append(user)
    added = defaultdict(list)
    for level, count in DEFAULT_RESPONDERS.items():
        if found[level]:
            continue
        for n in range(count):
            user = User.objects.create_user(
                username=f"{level.replace('_', '')}{n + 1}",
                first_name=level.replace("_", " ").title().split()[0],
                last_name=f"Responder {n + 1}",
                responder_level=level,
            )
            added[responder_role(level)].append(user)
            found[level].append(user)
        ctx.log(f"escalations: added {count} responders at level {level}")
    for role, users in added.items():
        # One write (and one audit-log write) for each role's new responders.
        Group.objects.get(name=group_name(role)).user_set.add(*users)
    return found


def allocation_span(allocation: dict, start: date, end: date) -> tuple[date, date] | None:
    lo = max(start, allocation["start"])
    hi = min(end, allocation["end"] or end)
    return (lo, hi) if lo <= hi else None


def random_working_day(rng, lo: date, hi: date) -> date:
    """A working day in [lo, hi], or just after hi when hi is not a working day."""
    return working_day_on_or_after(lo + timedelta(days=rng.randint(0, (hi - lo).days)))
