"""Synthetic IRO concerns and IRPs for `manage.py generate_data`, at the seed reports' rates.

Rates: a large authority (about 3,200 children looked after or on plans) records about 900 IRO
concerns and 200 IRPs a year (seed reports: 944 concerns and 250 IRPs in 2023/24; 918 informal
interventions and 185 IRPs in 2022/23), so 0.28 concerns and 0.0625 IRPs per allocated child per
year. Categories: half drift and delay, a fifth care plan, three in ten practice concerns, 1% legal
status. Stage at resolution: 67% stage 1, 24% stage 2, 8% stages 3-4, and the odd Cafcass referral;
about 57% resolved within 20 working days.

Children, IROs (from allocations) and responders are read from the database; levels of the
ladder with no responder get one. The plan context comes from the care episodes and CP
allocations in memory, so no query is made per record. Everything is written with COPY
(iro.synthetic.copy.bulk_copy).
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from escalations import rules, selectors
from escalations.models import (
    Category,
    Concern,
    ConcernStatus,
    Escalation,
    EscalationAction,
    EscalationChild,
    EscalationEvent,
    EscalationSettings,
    EscalationStage,
    EscalationState,
    OutcomeQuality,
    PlanContext,
    PracticeConcern,
)
from iro.codes import SHORT_BREAK_LEGAL_STATUSES
from iro.models import Allocation, AllocationRole, CareEpisode, Child, User
from iro.roles import group_name, responder_role
from iro.rules import add_working_days, is_working_day
from iro.synthetic.copy import bulk_copy

CONCERNS_PER_CHILD_YEAR = 0.28
FROM_CONCERN = 0.3  # share of IRPs raised from an earlier IRO concern
IRPS_PER_CHILD_YEAR = 0.0625

CATEGORY_WEIGHTS = [
    (Category.DRIFT_AND_DELAY, 48),
    (Category.CARE_PLAN, 18),
    (Category.PRACTICE, 20),
    (Category.PROCEDURES, 5),
    (Category.PLACEMENT, 4),
    (Category.RECORDING, 2),
    (Category.LEGAL_STATUS, 1),
    (Category.OTHER, 2),
]
PRACTICE_KINDS = [c for c in PracticeConcern.values if c]
# Where an IRP ends: resolved at stage 1..4, referred to Cafcass, or withdrawn.
ENDINGS = [(1, 64), (2, 23), (3, 6), (4, 2), ("cafcass", 1), ("withdrawn", 4)]
QUALITY_WEIGHTS = [
    (OutcomeQuality.RESOLVED_FOR_CHILD, 70),
    (OutcomeQuality.PARTLY_RESOLVED, 20),
    (OutcomeQuality.SUPERFICIAL_COMPLIANCE, 10),
]
# Responses are often late (seed report: mean 22.2 working days to resolution, 57% within 20).
RESPONSE_WORKING_DAYS = [2, 3, 5, 7, 9, 11, 13, 16, 20, 25]
DECISION_WORKING_DAYS = [1, 2, 3, 5, 8]
DEFAULT_RESPONDERS = {
    "sw_team_manager": 8,
    "head_of_service": 3,
    "assistant_director": 2,
    "director": 1,
}


def _pick(rng, weighted):
    values = [v for v, _ in weighted]
    weights = [w for _, w in weighted]
    return rng.choices(values, weights=weights, k=1)[0]


def _working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


class _Plans:
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


def _responders(ctx) -> dict[str, list[User]]:
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


def _span(allocation: dict, start: date, end: date) -> tuple[date, date] | None:
    lo = max(start, allocation["start"])
    hi = min(end, allocation["end"] or end)
    return (lo, hi) if lo <= hi else None


def _random_day(rng, lo: date, hi: date) -> date:
    """A working day in [lo, hi], or just after hi when hi is not a working day."""
    return _working_day_on_or_after(lo + timedelta(days=rng.randint(0, (hi - lo).days)))


@transaction.atomic
def generate(ctx) -> None:
    """Add concerns and IRPs over the history window of the allocations in the database."""
    rng = ctx.rng
    today = ctx.today
    years = int(ctx.params.get("history_years", ctx.params.get("years", 1)) or 1)
    allocations = list(
        Allocation.objects.values("child_id", "iro_id", "start", "end").order_by("pk")
    )
    if not allocations:
        ctx.log("escalations: no allocations, nothing to add")
        return
    window_start = max(
        date(today.year - years, today.month, 1), min(a["start"] for a in allocations)
    )
    current = {a["child_id"] for a in allocations if a["end"] is None}
    span_years = max((today - window_start).days / 365.25, 0.1)
    n_concerns = round(CONCERNS_PER_CHILD_YEAR * len(current) * span_years)
    n_irps = round(IRPS_PER_CHILD_YEAR * len(current) * span_years)
    plans = _Plans()
    siblings = defaultdict(list)
    for child_id, group_id in Child.objects.exclude(sibling_group=None).values_list(
        "pk", "sibling_group_id"
    ):
        siblings[group_id].append(child_id)
    group_of = {c: g for g, members in siblings.items() for c in members}
    stages = {s.order: s for s in selectors.active_stages()}
    responders = _responders(ctx)
    process_days = EscalationSettings.load().process_working_days

    def pick_allocation():
        for _ in range(20):
            allocation = rng.choice(allocations)
            span = _span(allocation, window_start, today)
            if span:
                return allocation, span
        return None, None

    concerns = []
    # Concerns that later become IRPs are made with their IRP; together they keep the rate.
    for _ in range(n_concerns - round(FROM_CONCERN * n_irps)):
        allocation, span = pick_allocation()
        if allocation is None:
            continue
        raised = _random_day(rng, *span)
        if raised > today:
            continue
        category = _pick(rng, CATEGORY_WEIGHTS)
        recent = (today - raised).days < 30
        resolved = (
            None if recent and rng.random() < 0.6 else add_working_days(raised, rng.randint(1, 25))
        )
        if resolved is not None and resolved > today:
            resolved = None
        concerns.append(
            Concern(
                child_id=allocation["child_id"],
                raised_by_id=allocation["iro_id"],
                raised_on=raised,
                category=category,
                practice_subcategory=rng.choice(PRACTICE_KINDS)
                if category == Category.PRACTICE
                else "",
                description="Synthetic concern",
                raised_with="Social worker and team manager",
                status=ConcernStatus.RESOLVED if resolved else ConcernStatus.OPEN,
                resolved_on=resolved,
                outcome="Agreed actions completed" if resolved else "",
                plan_context=plans.on(allocation["child_id"], raised),
            )
        )
    bulk_copy(Concern, concerns)

    escalations, links, stage_rows, events = [], [], [], []
    escalated_concerns: list[Concern] = []
    for _ in range(n_irps):
        allocation, span = pick_allocation()
        if allocation is None:
            continue
        raised = _random_day(rng, *span)
        if raised > today:
            continue
        child_ids = [allocation["child_id"]]
        group = group_of.get(allocation["child_id"])
        if group is not None and rng.random() < 0.4:
            child_ids = sorted(siblings[group])
        category = _pick(rng, CATEGORY_WEIGHTS)
        plan = _plan_irp(rng, raised, today, stages)
        source = None
        if rng.random() < FROM_CONCERN:
            # An informal concern that did not resolve the matter came first.
            source = Concern(
                child_id=allocation["child_id"],
                raised_by_id=allocation["iro_id"],
                raised_on=add_working_days(raised, -rng.randint(2, 10)),
                category=category,
                description="Synthetic concern",
                raised_with="Social worker and team manager",
                status=ConcernStatus.ESCALATED,
                plan_context="",
            )
            source.plan_context = plans.on(source.child_id, source.raised_on)
            escalated_concerns.append(source)
        escalation = Escalation(
            source_concern=source,
            raised_by_id=allocation["iro_id"],
            category=category,
            practice_subcategory=rng.choice(PRACTICE_KINDS)
            if category == Category.PRACTICE
            else "",
            summary="Synthetic IRP",
            outcome_sought="A plan that meets the child's needs without further delay",
            status=plan["status"],
            current_stage=stages[plan["stages"][-1]["order"]],
            raised_on=raised,
            process_deadline=rules.process_deadline(raised, process_days),
            resolved_on=plan["resolved_on"],
            closed_on=plan["closed_on"],
            outcome_quality=_pick(rng, QUALITY_WEIGHTS) if plan["resolved_on"] else "",
            cafcass_referred=plan["cafcass_on"] is not None,
            cafcass_referred_on=plan["cafcass_on"],
        )
        escalations.append((escalation, child_ids, plan))
    for concern, escalation in zip(
        escalated_concerns, [e for e, _, _ in escalations if e.source_concern], strict=True
    ):
        concern.practice_subcategory = escalation.practice_subcategory
    bulk_copy(Concern, escalated_concerns)
    for escalation, _, _ in escalations:
        if escalation.source_concern is not None:
            escalation.source_concern_id = escalation.source_concern.pk
    bulk_copy(Escalation, [e for e, _, _ in escalations])

    for escalation, child_ids, plan in escalations:
        for child_id in child_ids:
            links.append(
                EscalationChild(
                    escalation=escalation,
                    child_id=child_id,
                    plan_context=plans.on(child_id, escalation.raised_on),
                )
            )
        for row in plan["stages"]:
            definition = stages[row["order"]]
            stage_rows.append(
                EscalationStage(
                    escalation=escalation,
                    definition=definition,
                    responder=rng.choice(responders[definition.responder_level]),
                    started_on=row["started_on"],
                    response_deadline=rules.stage_response_deadline(
                        row["started_on"], definition.response_working_days
                    ),
                    response="Synthetic response" if row["responded_on"] else "",
                    responded_on=row["responded_on"],
                    proposes_resolution=row["proposes"],
                    closed_on=row["closed_on"],
                )
            )
        for action, on, from_state, to_state, order in plan["events"]:
            events.append(
                EscalationEvent(
                    escalation=escalation,
                    action=action,
                    actor_id=escalation.raised_by_id,
                    at=_at(on),
                    on=on,
                    from_state=from_state,
                    to_state=to_state,
                    stage=stages[order],
                )
            )
    bulk_copy(EscalationChild, links)
    bulk_copy(EscalationStage, stage_rows)
    bulk_copy(EscalationEvent, events)
    # Responder events are the responder's: set them in one statement per stage.
    for order in stages:
        EscalationEvent.objects.filter(
            stage__order=order,
            action__in=[EscalationAction.RESPOND, EscalationAction.PROPOSE_RESOLUTION],
            escalation_id__in=[e.pk for e, _, _ in escalations],
        ).update(actor_id=_stage_responder_subquery(order))
    ctx.log(
        f"escalations: {len(concerns) + len(escalated_concerns)} concerns, "
        f"{len(escalations)} IRPs ({len(escalated_concerns)} from a concern)"
    )


def _stage_responder_subquery(order: int):
    from django.db.models import OuterRef, Subquery

    return Subquery(
        EscalationStage.objects.filter(
            escalation=OuterRef("escalation"), definition__order=order
        ).values("responder_id")[:1]
    )


def _plan_irp(rng, raised: date, today: date, stages: dict) -> dict:
    """The life of one IRP: its stages, events and end state, never running past `today`."""
    S, A = EscalationState, EscalationAction
    ending = _pick(rng, ENDINGS)
    top = max(stages)
    start_order = 2 if rng.random() < 0.08 and top >= 2 else 1
    if isinstance(ending, int):
        end_order = min(max(ending, start_order), top)
    else:
        end_order = min(start_order + rng.choice([0, 0, 1]), top)
    orders = [o for o in sorted(stages) if start_order <= o <= end_order]
    # Skip a stage now and then (the IRO may skip stages).
    if len(orders) > 2 and rng.random() < 0.2:
        orders.pop(1)

    state = S.AWAITING_RESPONSE
    events = [(A.RAISE, raised, S.NEW, state, orders[0])]
    rows = []
    day = raised
    result = {"status": state, "resolved_on": None, "closed_on": None, "cafcass_on": None}
    for index, order in enumerate(orders):
        row = {
            "order": order,
            "started_on": day,
            "responded_on": None,
            "proposes": False,
            "closed_on": None,
        }
        rows.append(row)
        last = index == len(orders) - 1
        answered = add_working_days(day, rng.choice(RESPONSE_WORKING_DAYS))
        if answered > today:
            break
        proposes = last and ending not in ("withdrawn", "cafcass")
        action = A.PROPOSE_RESOLUTION if proposes else A.RESPOND
        to_state = rules.next_state(state, action)
        events.append((action, answered, state, to_state, order))
        state = to_state
        row.update(responded_on=answered, proposes=proposes)
        decided = add_working_days(answered, rng.choice(DECISION_WORKING_DAYS))
        if decided > today:
            break
        if not last:
            to_state = rules.next_state(state, A.ESCALATE)
            events.append((A.ESCALATE, decided, state, to_state, orders[index + 1]))
            state = to_state
            row["closed_on"] = decided
            day = decided
            continue
        end_action = {"withdrawn": A.WITHDRAW, "cafcass": A.REFER_CAFCASS}.get(ending, A.RESOLVE)
        to_state = rules.next_state(state, end_action)
        events.append((end_action, decided, state, to_state, order))
        state = to_state
        row["closed_on"] = decided
        if end_action == A.RESOLVE:
            result.update(resolved_on=decided, closed_on=decided)
        elif end_action == A.WITHDRAW:
            result["closed_on"] = decided
        else:
            result["cafcass_on"] = decided
            settled = add_working_days(decided, rng.randint(10, 40))
            if settled <= today:
                to_state = rules.next_state(state, A.RESOLVE)
                events.append((A.RESOLVE, settled, state, to_state, order))
                state = to_state
                result.update(resolved_on=settled, closed_on=settled)
    result.update(status=state, stages=rows, events=events)
    return result


def demo_overdue_irp(sign_ins: dict, today) -> None:
    """For the demo: the demo IRO has raised an IRP with the demo head of service whose response
    is two working days overdue, so the IRO, the team manager and the head of service each have
    an IRP to act on (and a reminder about it) as soon as the service starts."""
    from escalations.models import Category, StageDefinition
    from escalations.services import escalation_raise
    from iro.access import children_visible_to
    from iro.rules import add_working_days

    iro, head = sign_ins.get("iro"), sign_ins.get("head")
    if iro is None or head is None:
        return
    StageDefinition.ensure_default_ladder()
    stage = StageDefinition.objects.filter(
        responder_level=head.responder_level, active=True
    ).first()
    child = children_visible_to(iro).filter(restricted=False).order_by("pk").first()
    if stage is None or child is None:
        return
    raised_on = add_working_days(today, -(stage.response_working_days + 2))
    escalation_raise(
        raised_by=iro,
        children=[child],
        category=Category.DRIFT_AND_DELAY,
        summary="The permanence plan has not moved since the last review",
        outcome_sought="A permanence planning meeting within two weeks",
        stage=stage,
        responder=head,
        raised_on=raised_on,
    )
