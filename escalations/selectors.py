"""Reads of concerns and IRPs: who sees which, the work lists, and the measures for reporting.

Who sees which IRP (one place, used by pages, API and the child record):
- team managers (escalations.view_all_escalations): every IRP;
- heads of service (responder level head of service or above): every open IRP (they oversee
  the process); social work team managers in the same group see only IRPs addressed to them;
- IROs: IRPs about a child allocated to them, and IRPs they raised while open and for 12 months
  after they close (iro.access.CHAIRED_WINDOW, the same window as chaired meetings);
- responders: IRPs with a stage addressed to them, while open and for 12 months after closing;
- everyone else: none.
Concerns follow the same rule without the responder clause (a concern escalated to an IRP closes
with the IRP).

Who acts on an IRP or concern as its IRO: the IRO who raised it, or an IRO allocated today to one
of its children (after a reallocation the child's new IRO carries it on).
"""

from datetime import date

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from escalations.models import (
    OPEN_STATES,
    Concern,
    ConcernStatus,
    Escalation,
    EscalationChild,
    EscalationEvent,
    EscalationStage,
    EscalationState,
    StageDefinition,
)
from iro.access import CHAIRED_WINDOW
from iro.models import Allocation, ResponderLevel, User
from iro.roles import RESPONDER_ROLES, Role, group_name
from iro.rules import _bank_holidays

PROCESS_WORKING_DAYS = 20


# --- Visibility -----------------------------------------------------------------------------


def _allocated_to(user) -> QuerySet:
    return Allocation.objects.filter(iro=user, end__isnull=True).values("child_id")


def _window_start() -> date:
    return timezone.localdate() - CHAIRED_WINDOW


def _escalation_in_window(prefix: str = "") -> Q:
    """Open, or closed within the last 12 months."""
    return Q(**{f"{prefix}closed_on__isnull": True}) | Q(
        **{f"{prefix}closed_on__gte": _window_start()}
    )


def _concern_in_window() -> Q:
    cutoff = _window_start()
    return (
        Q(status=ConcernStatus.OPEN)
        | Q(status=ConcernStatus.RESOLVED, resolved_on__gte=cutoff)
        | Q(status=ConcernStatus.ESCALATED, escalation__isnull=True)
        | (Q(status=ConcernStatus.ESCALATED) & _escalation_in_window("escalation__"))
    )


def is_acting_iro(escalation_or_concern, user) -> bool:
    """The IRO who raised it, or an IRO with an open allocation to one of its children."""
    if not user.is_authenticated:
        return False
    if escalation_or_concern.raised_by_id == user.pk:
        return True
    if not user.has_role(Role.IRO):
        return False
    if isinstance(escalation_or_concern, Concern):
        child_ids = [escalation_or_concern.child_id]
    else:
        child_ids = EscalationChild.objects.filter(escalation=escalation_or_concern).values(
            "child_id"
        )
    return Allocation.objects.filter(iro=user, end__isnull=True, child_id__in=child_ids).exists()


# Heads of service, assistant directors and directors in the Head of service role oversee every
# open IRP. Responders in the Escalation responder role (social work team managers), and anyone
# in the Head of service role with a level below it, see the IRPs addressed to them.
OVERSIGHT_LEVELS = (
    ResponderLevel.HEAD_OF_SERVICE,
    ResponderLevel.ASSISTANT_DIRECTOR,
    ResponderLevel.DIRECTOR,
)


def oversees_escalations(user) -> bool:
    return user.has_role(Role.HEAD_OF_SERVICE) and user.responder_level in OVERSIGHT_LEVELS


def escalations_visible_to(user, queryset: QuerySet | None = None) -> QuerySet[Escalation]:
    qs = Escalation.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return qs.none()
    if user.has_perm("escalations.view_all_escalations"):
        return qs
    rule = Q(pk__in=[])
    if user.has_role(Role.IRO):
        allocated = EscalationChild.objects.filter(
            escalation=OuterRef("pk"), child_id__in=_allocated_to(user)
        )
        rule |= (Q(raised_by=user) & _escalation_in_window()) | Q(Exists(allocated))
    if oversees_escalations(user):
        # Heads of service oversee the whole process: every open IRP.
        rule |= Q(status__in=OPEN_STATES)
    if user.has_perm("escalations.respond_escalation"):
        named = EscalationStage.objects.filter(escalation=OuterRef("pk"), responder=user)
        rule |= Q(Exists(named)) & _escalation_in_window()
    return qs.filter(rule)


def concerns_visible_to(user, queryset: QuerySet | None = None) -> QuerySet[Concern]:
    qs = Concern.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return qs.none()
    if user.has_perm("escalations.view_all_escalations"):
        return qs
    if user.has_role(Role.IRO):
        return qs.filter(
            (Q(raised_by=user) & _concern_in_window()) | Q(child_id__in=_allocated_to(user))
        )
    return qs.none()


def child_ids_addressed_to(user) -> QuerySet:
    """Children in IRPs with a stage addressed to `user`, while the IRP is open and for 12 months
    after it closes (registry.extra_visible_child_ids)."""
    return EscalationChild.objects.filter(
        Q(escalation__stages__responder=user) & _escalation_in_window("escalation__")
    ).values("child_id")


# --- Lists ----------------------------------------------------------------------------------


def _with_joins(qs: QuerySet[Escalation]) -> QuerySet[Escalation]:
    return qs.select_related("raised_by", "current_stage").prefetch_related(
        Prefetch(
            "child_links",
            queryset=EscalationChild.objects.select_related("child").order_by("child__last_name"),
        ),
        Prefetch(
            "stages",
            queryset=EscalationStage.objects.filter(closed_on__isnull=True).select_related(
                "responder", "definition"
            ),
            to_attr="open_stages",
        ),
    )


def escalation_queue(user) -> QuerySet[Escalation]:
    """IRPs awaiting `user`'s response, overdue first (earliest response deadline first)."""
    open_stage = EscalationStage.objects.filter(
        escalation=OuterRef("pk"), responder=user, closed_on__isnull=True, responded_on__isnull=True
    )
    qs = Escalation.objects.filter(
        Exists(open_stage), status=EscalationState.AWAITING_RESPONSE
    ).annotate(
        deadline=open_stage.values("response_deadline")[:1],
    )
    return _with_joins(qs).order_by("deadline", "raised_on", "pk")


def escalations_for_iro(user) -> QuerySet[Escalation]:
    """The IRO's open IRPs: raised by them, or about a child allocated to them now."""
    allocated = EscalationChild.objects.filter(
        escalation=OuterRef("pk"), child_id__in=_allocated_to(user)
    )
    qs = Escalation.objects.filter(Q(raised_by=user) | Q(Exists(allocated)), status__in=OPEN_STATES)
    return _with_joins(qs).order_by("raised_on", "pk")


def concerns_for_iro(user) -> QuerySet[Concern]:
    return (
        Concern.objects.filter(
            Q(raised_by=user) | Q(child_id__in=_allocated_to(user)), status=ConcernStatus.OPEN
        )
        .select_related("child")
        .order_by("raised_on", "pk")
    )


def open_escalations() -> QuerySet[Escalation]:
    """Every open IRP, oldest first (the managers' list)."""
    return _with_joins(Escalation.objects.filter(status__in=OPEN_STATES)).order_by(
        "raised_on", "pk"
    )


def escalation_detail(user, pk: int) -> Escalation:
    """One IRP visible to `user` with its children, stages and history; DoesNotExist outside."""
    qs = (
        escalations_visible_to(user)
        .select_related("raised_by", "current_stage", "source_concern")
        .prefetch_related(
            Prefetch("child_links", queryset=EscalationChild.objects.select_related("child")),
            Prefetch(
                "stages",
                queryset=EscalationStage.objects.select_related("definition", "responder").order_by(
                    "definition__order"
                ),
            ),
            Prefetch(
                "events",
                queryset=EscalationEvent.objects.select_related("actor", "stage").order_by(
                    "at", "pk"
                ),
            ),
        )
    )
    return qs.get(pk=pk)


def responders() -> QuerySet[User]:
    """Active users who may be named as an IRP stage's responder: a responder role
    (iro.roles.RESPONDER_ROLES) and a responder level saying which stage."""
    in_role = User.groups.through.objects.filter(
        user_id=OuterRef("pk"), group__name__in=[group_name(role) for role in RESPONDER_ROLES]
    )
    return User.objects.filter(Exists(in_role), is_active=True).exclude(responder_level="")


def responders_for(stage: StageDefinition) -> QuerySet[User]:
    return (
        responders()
        .filter(responder_level=stage.responder_level)
        .order_by("last_name", "first_name")
    )


def active_stages() -> QuerySet[StageDefinition]:
    StageDefinition.ensure_default_ladder()
    return StageDefinition.objects.filter(active=True).order_by("order")


def child_concerns(user, child) -> QuerySet[Concern]:
    return concerns_visible_to(user, Concern.objects.filter(child=child)).select_related(
        "raised_by"
    )


def child_escalations(user, child) -> QuerySet[Escalation]:
    return (
        escalations_visible_to(user, Escalation.objects.filter(child_links__child=child))
        .select_related("current_stage", "raised_by")
        .distinct()
    )


# --- Measures (computed in the database) ----------------------------------------------------


def _holidays_for_sql() -> list[date]:
    days: set[date] = set()
    for year in range(2000, 2041):
        days |= _bank_holidays(year)
    return sorted(days)


class WorkingDaysBetween(Func):
    """Working days after `start` up to and including `end` (iro.rules.working_days_between for
    end >= start): the weekdays in the range less the England bank holidays on weekdays in it.
    """

    output_field = IntegerField()
    arity = 2

    def as_sql(self, compiler, connection, **extra):
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        end_sql, end_params = compiler.compile(self.source_expressions[1])
        # Weekdays in the range, less the bank holidays that fall on weekdays in it.
        sql = (
            "((SELECT count(*) FROM generate_series("
            f"({start_sql})::date + 1, ({end_sql})::date, interval '1 day') AS wd(day) "
            "WHERE extract(isodow FROM wd.day) < 6) - "
            "(SELECT count(*) FROM unnest(%s::date[]) AS bh(day) "
            f"WHERE bh.day > ({start_sql})::date AND bh.day <= ({end_sql})::date "
            "AND extract(isodow FROM bh.day) < 6))"
        )
        params = (*start_params, *end_params, _holidays_for_sql(), *start_params, *end_params)
        return sql, params


def resolved_between(start: date, end: date) -> QuerySet[Escalation]:
    """IRPs resolved in the window (inclusive), with working_days_to_resolution annotated."""
    return Escalation.objects.filter(
        status=EscalationState.RESOLVED, resolved_on__gte=start, resolved_on__lte=end
    ).annotate(working_days_to_resolution=WorkingDaysBetween(F("raised_on"), F("resolved_on")))


def resolution_timeliness(start: date, end: date, within: int = PROCESS_WORKING_DAYS) -> dict:
    """IRPs resolved in the window: how many, how many within `within` working days of being
    raised (the IRO Handbook's 20), the percentage, and the mean working days to resolution.
    """
    row = resolved_between(start, end).aggregate(
        resolved=Count("pk"),
        within=Count("pk", filter=Q(working_days_to_resolution__lte=within)),
        mean_working_days=Avg("working_days_to_resolution"),
    )
    resolved = row["resolved"]
    return {
        "resolved": resolved,
        "within": row["within"],
        "percent_within": round(100 * row["within"] / resolved, 1) if resolved else None,
        "mean_working_days": (
            round(float(row["mean_working_days"]), 1)
            if row["mean_working_days"] is not None
            else None
        ),
    }


def stage_at_resolution(start: date, end: date) -> list[dict]:
    """IRPs resolved in the window by the ladder stage they were at (seed report: 67% stage 1)."""
    return list(
        resolved_between(start, end)
        .values(stage=F("current_stage__order"), stage_name=F("current_stage__name"))
        .annotate(count=Count("pk"))
        .order_by("stage")
    )


def escalations_by_plan_context_and_category(start: date, end: date) -> list[dict]:
    """Children in IRPs raised in the window by plan context (when raised) and category.

    Counts children, not IRPs: an IRP for a sibling group of 6 counts 6 (as one seed report does).
    """
    return list(
        EscalationChild.objects.filter(
            escalation__raised_on__gte=start, escalation__raised_on__lte=end
        )
        .values("plan_context", category=F("escalation__category"))
        .annotate(count=Count("pk"))
        .order_by("plan_context", "category")
    )


def escalations_raised_by_category(start: date, end: date) -> list[dict]:
    """IRPs (not children) raised in the window by category."""
    return list(
        Escalation.objects.filter(raised_on__gte=start, raised_on__lte=end)
        .values("category")
        .annotate(count=Count("pk"))
        .order_by("category")
    )


def concerns_by_category_context_month(start: date, end: date) -> list[dict]:
    """IRO concerns raised in the window by month, category and plan context (when raised)."""
    return list(
        Concern.objects.filter(raised_on__gte=start, raised_on__lte=end)
        .annotate(month=TruncMonth("raised_on"))
        .values("month", "category", "plan_context")
        .annotate(count=Count("pk"))
        .order_by("month", "category", "plan_context")
    )
