"""Reads for bulk reallocation from an IRO's caseload: the plan (who goes to whom, siblings
together) and the caseloads per FTE it would leave, from iro.selectors_caseload.caseload_rows
(the one definition of caseload per FTE)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from iro.models import Child, User
from iro.registry import MeetingMove, registry
from iro.selectors_caseload import caseload_rows, iro_caseload_children


@dataclass
class PlannedMove:
    child: Child
    to_iro: User
    sibling_added: bool = False  # not ticked: moved with a sibling
    roles: tuple[str, ...] = ()
    meetings: list[MeetingMove] = field(default_factory=list)


@dataclass(frozen=True)
class CaseloadChange:
    iro: User
    fte: float
    children_before: int
    children_after: int

    @property
    def per_fte_before(self) -> float:
        return self.children_before / self.fte if self.fte else 0.0

    @property
    def per_fte_after(self) -> float:
        return self.children_after / self.fte if self.fte else 0.0


def reallocation_plan(
    *,
    from_iro: User,
    child_ids: list[int],
    to_iros: list[User],
    on: date,
    visible,
    siblings_together: bool = True,
    fixed: dict[int, int] | None = None,
) -> list[PlannedMove]:
    """Who goes to whom. The ticked children (of `from_iro`'s caseload, among `visible`), with
    their siblings also allocated to `from_iro` unless `siblings_together` is off; each sibling
    group (or child) goes to the chosen IRO whose caseload per FTE would be lowest, one group at
    a time. `fixed` ({child id: IRO id}, from the confirm page) keeps a plan already shown."""
    caseload = {c.pk: c for c in iro_caseload_children(iro=from_iro, on=on, visible=visible)}
    chosen = [caseload[i] for i in child_ids if i in caseload]
    added: set[int] = set()
    if siblings_together:
        groups = {c.sibling_group_id for c in chosen if c.sibling_group_id}
        for child in caseload.values():
            if child.sibling_group_id in groups and child.pk not in child_ids:
                chosen.append(child)
                added.add(child.pk)
    units: dict[object, list[Child]] = {}
    for child in chosen:
        grouped = siblings_together and child.sibling_group_id
        key = ("group", child.sibling_group_id) if grouped else ("child", child.pk)
        units.setdefault(key, []).append(child)
    rows = {row.pk: row for row in caseload_rows(on=on) if row.pk in {i.pk for i in to_iros}}
    load = {i.pk: getattr(rows.get(i.pk), "children", 0) for i in to_iros}
    by_pk = {i.pk: i for i in to_iros}
    plan: list[PlannedMove] = []
    for unit in sorted(units.values(), key=lambda u: (-len(u), u[0].last_name, u[0].pk)):
        wanted = fixed.get(unit[0].pk) if fixed else None
        if wanted in by_pk:
            target = by_pk[wanted]
        else:
            target = min(
                to_iros, key=lambda i: ((load[i.pk] + len(unit)) / (i.fte or 1), i.last_name, i.pk)
            )
        load[target.pk] += len(unit)
        for child in sorted(unit, key=lambda c: (c.last_name, c.first_name, c.pk)):
            roles = tuple(
                r
                for r, held in (
                    ("cla", child.allocated_cla),  # type: ignore[attr-defined]
                    ("cp", child.allocated_cp),  # type: ignore[attr-defined]
                )
                if held
            )
            meetings = [
                m
                for role in roles
                for listed in registry.meetings_to_move
                for m in listed(child, role, from_iro, on)
            ]
            plan.append(PlannedMove(child, target, child.pk in added, roles, meetings))
    return plan


def caseload_changes(*, from_iro: User, plan: list[PlannedMove], on: date) -> list[CaseloadChange]:
    """Each IRO concerned, with children and children per FTE before and after the plan
    (caseload_rows' distinct children; a child moved counts where it counts today)."""
    ids = {from_iro.pk} | {m.to_iro.pk for m in plan}
    rows = {row.pk: row for row in caseload_rows(on=on) if row.pk in ids}
    counted = {
        m.child.pk
        for m in plan
        if m.child.is_looked_after or m.child.on_cp_plan  # type: ignore[attr-defined]
    }
    delta = dict.fromkeys(ids, 0)
    for move in plan:
        if move.child.pk in counted:
            delta[from_iro.pk] -= 1
            delta[move.to_iro.pk] += 1
    changes = []
    for pk in [from_iro.pk] + sorted(ids - {from_iro.pk}):
        row = rows.get(pk)
        if row is None:
            continue
        children = row.children  # type: ignore[attr-defined]
        changes.append(CaseloadChange(row, float(row.fte), children, children + delta[pk]))
    return changes
