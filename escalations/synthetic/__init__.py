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

The rates are in ``mixes``, what is read and drawn from in ``context``, and how an IRP moves
through the ladder in ``stages``.
"""

from collections import defaultdict
from datetime import date

from django.db import transaction

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
)
from escalations.synthetic.context import (
    PlansInMemory,
    allocation_span,
    at_ten,
    pick,
    random_working_day,
    responders_by_level,
)
from escalations.synthetic.mixes import (
    CATEGORY_WEIGHTS,
    CONCERNS_PER_CHILD_YEAR,
    FROM_CONCERN,
    IRPS_PER_CHILD_YEAR,
    PRACTICE_KINDS,
    QUALITY_WEIGHTS,
)
from escalations.synthetic.stages import plan_irp, stage_responder_subquery
from iro.models import Allocation, Child
from iro.rules import add_working_days
from iro.synthetic.copy import bulk_copy


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
    plans = PlansInMemory()
    siblings = defaultdict(list)
    for child_id, group_id in Child.objects.exclude(sibling_group=None).values_list(
        "pk", "sibling_group_id"
    ):
        siblings[group_id].append(child_id)
    group_of = {c: g for g, members in siblings.items() for c in members}
    stages = {s.order: s for s in selectors.active_stages()}
    responders = responders_by_level(ctx)
    process_days = EscalationSettings.load().process_working_days

    def pick_allocation():
        for _ in range(20):
            allocation = rng.choice(allocations)
            span = allocation_span(allocation, window_start, today)
            if span:
                return allocation, span
        return None, None

    concerns = []
    # Concerns that later become IRPs are made with their IRP; together they keep the rate.
    for _ in range(n_concerns - round(FROM_CONCERN * n_irps)):
        allocation, span = pick_allocation()
        if allocation is None:
            continue
        raised = random_working_day(rng, *span)
        if raised > today:
            continue
        category = pick(rng, CATEGORY_WEIGHTS)
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
        raised = random_working_day(rng, *span)
        if raised > today:
            continue
        child_ids = [allocation["child_id"]]
        group = group_of.get(allocation["child_id"])
        if group is not None and rng.random() < 0.4:
            child_ids = sorted(siblings[group])
        category = pick(rng, CATEGORY_WEIGHTS)
        plan = plan_irp(rng, raised, today, stages)
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
            outcome_quality=pick(rng, QUALITY_WEIGHTS) if plan["resolved_on"] else "",
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
                    at=at_ten(on),
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
        ).update(actor_id=stage_responder_subquery(order))
    ctx.log(
        f"escalations: {len(concerns) + len(escalated_concerns)} concerns, "
        f"{len(escalations)} IRPs ({len(escalated_concerns)} from a concern)"
    )


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
