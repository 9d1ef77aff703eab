"""The generator's allocations: each child's IROs over their periods of care, drawn from the
IROs in post by FTE, and the children left waiting for an IRO today.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from iro.models import (
    Allocation,
    AllocationRequest,
    AllocationRole,
    CareEpisode,
    Child,
    User,
)
from iro.synthetic.copy import bulk_copy
from iro.synthetic.histories import SyntheticChild


class AllocationGenerator:
    """Part of ``Generator``: who was each child's IRO, and who is waiting for one."""

    params: dict
    rng: random.Random
    today: date
    log: Callable[[str], None]

    def _in_post(self, staff: dict, day: date) -> tuple[list[User], list[float]]:
        """IROs in post on `day` (their spell covers the day itself, so nobody is allocated a
        child after their last day: iro.services.allocations.validate_iro_in_post) and their
        cumulative weights (FTE), cached by day, for ``rng.choices(people, cum_weights=...)``
        (the same draws as ``weights=``, without summing a national staff list on every draw)."""
        cache = staff.setdefault("_in_post", {})
        if day not in cache:
            people = [
                u
                for u, start, end in staff["spells"]
                if start <= day and (end is None or end >= day)
            ] or staff["iros"]
            cache[day] = (people, list(itertools.accumulate(float(u.fte) for u in people)))
        return cache[day]

    def _leave_date(self, staff: dict, iro: User) -> date | None:
        ends = staff.get("_ends")
        if ends is None:  # built once (a setdefault would build the dict on every call)
            ends = staff["_ends"] = {u.pk: end for u, _start, end in staff["spells"]}
        return ends.get(iro.pk)

    def allocations(self, staff: dict, children: list[SyntheticChild], rows: list[Child]) -> None:
        """CLA allocations for every period of care, with the request each one answered.

        The service hears of an admission (AllocationRequest.notified_at) usually the same day,
        sometimes days later; a manager allocates an IRO (fulfilled_at) usually within 72 hours.
        Allocations go to IROs in post at the time; when an IRO leaves, their children are
        handed to another IRO; some long periods change IRO for caseload balance.
        """
        rng, today = self.rng, self.today
        now = timezone.now()
        allocations: list[Allocation] = []
        requests: list[tuple[int, datetime, datetime]] = []
        family_iro: dict[tuple[int, date], User] = {}
        manager_by_team = {m.team_id: m for m in staff["managers"]}
        tz = timezone.get_current_timezone()
        for child, row in zip(children, rows, strict=True):
            periods: list[tuple[date, date | None]] = []
            for e in child.episodes:
                if e.reason_new_episode == "S":
                    periods.append((e.start, e.end))
                else:
                    periods[-1] = (periods[-1][0], e.end)
            for start, end in periods:
                delay = rng.choices(
                    [rng.uniform(0, 20), rng.uniform(20, 120), rng.uniform(120, 700)],
                    weights=[80, 15, 5],
                )[0]
                notified = datetime.combine(start, time(9), tzinfo=tz) + timedelta(hours=delay)
                wait = rng.choices(
                    [rng.uniform(1, 48), rng.uniform(48, 72), rng.uniform(72, 240)],
                    weights=[82, 12, 6],
                )[0]
                fulfilled = notified + timedelta(hours=wait)
                if fulfilled > now:
                    fulfilled = now
                allocated_on = min(timezone.localdate(fulfilled), end or today, today)
                key = (child.family, start)
                sibling_iro = family_iro.get(key) if child.family else None
                sibling_left = sibling_iro and self._leave_date(staff, sibling_iro)
                if sibling_iro is not None and not (sibling_left and sibling_left < allocated_on):
                    iro = sibling_iro
                else:
                    people, cum = self._in_post(staff, allocated_on)
                    iro = rng.choices(people, cum_weights=cum)[0]
                    family_iro[key] = iro
                requests.append((len(allocations), notified, fulfilled))
                # Hand the child on when the IRO leaves, or (some long periods) for balance.
                while True:
                    left = self._leave_date(staff, iro)
                    handover, why = None, ""
                    if left is not None and left < (end or today) and left >= allocated_on:
                        handover, why = left + timedelta(days=1), "IRO left the service"
                    elif (
                        end is not None and (end - allocated_on).days > 700 and rng.random() < 0.25
                    ):
                        handover = allocated_on + timedelta(
                            days=rng.randint(200, (end - allocated_on).days - 1)
                        )
                        why = "Caseload balance"
                    if handover is None:
                        break
                    people, cum = self._in_post(staff, handover)
                    successor = rng.choices(people, cum_weights=cum)[0]
                    if successor == iro:
                        break
                    allocations.append(
                        Allocation(
                            child_id=row.pk,
                            iro=iro,
                            role=AllocationRole.CLA,
                            start=allocated_on,
                            end=handover,
                            end_reason=why,
                            allocated_by=manager_by_team.get(iro.team_id),
                        )
                    )
                    iro, allocated_on = successor, handover
                allocations.append(
                    Allocation(
                        child_id=row.pk,
                        iro=iro,
                        role=AllocationRole.CLA,
                        start=allocated_on,
                        end=end,
                        end_reason="Left care" if end else "",
                        allocated_by=manager_by_team.get(iro.team_id),
                    )
                )
        bulk_copy(Allocation, allocations)
        bulk_copy(
            AllocationRequest,
            [
                AllocationRequest(
                    child_id=allocations[i].child_id,
                    role=AllocationRole.CLA,
                    notified_at=notified,
                    allocation=allocations[i],
                    fulfilled_at=fulfilled,
                )
                for i, notified, fulfilled in requests
            ],
        )
        self.log(f"  saved {len(allocations):,} allocations")

    def hold_back_waiting(self) -> None:
        """The most recent admissions still wait for an IRO (some past the 72-hour target)."""
        period_start = (
            CareEpisode.objects.filter(child=OuterRef("child"), reason_new_episode="S")
            .order_by("-start")
            .values("start")[:1]
        )
        child_ids = list(
            CareEpisode.objects.filter(end__isnull=True)
            .annotate(period_start=Subquery(period_start))
            .order_by("-period_start", "child_id")
            .values_list("child_id", flat=True)[: self.params["waiting"]]
        )
        held_back = Allocation.objects.filter(
            child_id__in=child_ids, role=AllocationRole.CLA, end__isnull=True
        )
        AllocationRequest.objects.filter(allocation__in=held_back).delete()
        held_back.delete()
        now = timezone.now()
        bulk_copy(
            AllocationRequest,
            [
                AllocationRequest(
                    child_id=child_id,
                    role=AllocationRole.CLA,
                    notified_at=now - timedelta(hours=4 + 30 * i),
                )
                for i, child_id in enumerate(child_ids)
            ],
        )
        self.log(f"  {len(child_ids)} children waiting for an IRO")
