"""Parents, disabled children, core groups and the child's voice (CP-18 to CP-22)."""

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
)

from protection.models import (
    ChildViews,
    CoreGroupMeeting,
)
from reporting.figures.base import Kind, Period, Result, figure, pct
from reporting.figures.protection.common import (
    ATTENDED,
    CONFERENCE_COLUMNS,
    INVITED,
    PLAN_COLUMNS,
    VIEWS_HEARD,
    conference_rows,
    conference_summary,
    conferences_held,
    plan_rows,
    plans_on,
    plans_on_summary,
    plans_started_in,
)
from reporting.figures.series import counts_by


@figure(
    "CP-18",
    title="Parents at conferences",
    kind=Kind.PCT,
    section="child_protection",
    unit="%",
)
def parents_at_conferences(period: Period) -> Result:
    """Conferences held in the period (ICPC, transfer-in and RCPC, one per child) at which a
    parent attended, as a percentage of those to which the parents were invited (the Darlington
    basis: attended ÷ invited). The table splits initial and review conferences."""
    summary = conference_summary(period)
    row = {
        "n": summary["invited"], "yes": summary["attended"],
        "icpc_n": summary["icpc_invited"], "icpc_yes": summary["icpc_attended"],
        "rcpc_n": summary["rcpc_invited"], "rcpc_yes": summary["rcpc_attended"],
    }  # fmt: skip
    return Result(
        value=pct(row["yes"], row["n"]),
        numerator=row["yes"],
        denominator=row["n"],
        columns=["conference", "parents attended", "invited", "%"],
        table=[
            [
                "initial and transfer-in",
                row["icpc_yes"],
                row["icpc_n"],
                pct(row["icpc_yes"], row["icpc_n"]),
            ],
            ["review", row["rcpc_yes"], row["rcpc_n"], pct(row["rcpc_yes"], row["rcpc_n"])],
        ],  # fmt: skip
    )


@parents_at_conferences.rows(
    columns=(*CONFERENCE_COLUMNS, ("Parents invited", "parents_invited"),
             ("Parents attended", "parents_attended"))
)  # fmt: skip
def _(period: Period, cell: str | None) -> QuerySet:
    qs = conferences_held(period)
    return conference_rows(qs.filter(INVITED if cell == "denominator" else ATTENDED))


@figure(
    "CP-20",
    title="Disabled children on plans on 31 March",
    kind=Kind.COUNT,
    section="child_protection",
    unit="children",
    covers="on 31 March",
    better="neither",
)
def disabled_on_plans(period: Period) -> Result:
    """Children on plans at the end of the period recorded as disabled."""
    return Result(value=plans_on_summary(period)["disabled"][""])


@disabled_on_plans.rows(columns=PLAN_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    return plan_rows(plans_on(period.end).filter(child__disability=True))


def _first_core_group_in_time() -> Exists:
    return Exists(
        CoreGroupMeeting.objects.filter(
            plan=OuterRef("pk"),
            held_on__gte=OuterRef("start"),
            held_on__lte=OuterRef("first_core_group_due"),
        )
    )


@figure(
    "CP-21",
    title="First core group within 10 working days",
    kind=Kind.PCT,
    section="child_protection",
    unit="%",
)
def core_groups(period: Period) -> Result:
    """Plans started in the period whose first core group met within 10 working days of the
    conference that started the plan (on or before the plan's first-core-group due date, which
    protection.rules sets with weekends and bank holidays excluded), as a percentage of plans
    started in the period."""
    qs = plans_started_in(period).annotate(_in_time=_first_core_group_in_time())
    row = qs.aggregate(n=Count("pk"), yes=Count("pk", filter=Q(_in_time=True)))
    return Result(value=pct(row["yes"], row["n"]), numerator=row["yes"], denominator=row["n"])


@core_groups.rows(columns=(*PLAN_COLUMNS, ("First core group due", "first_core_group_due")))
def _(period: Period, cell: str | None) -> QuerySet:
    qs = plans_started_in(period)
    if cell != "denominator":
        qs = qs.filter(_first_core_group_in_time())
    return plan_rows(qs)


def _conferences_of_children_who_could_give_views(period: Period) -> QuerySet:
    return (
        conferences_held(period)
        .filter(child__date_of_birth__isnull=False, child__date_of_birth__lte=F("held_on"))
        .exclude(child_views=ChildViews.TOO_YOUNG)
    )


@figure(
    "CP-22",
    title="Child attended the conference or their views were shared",
    kind=Kind.PCT,
    section="child_protection",
    unit="%",
)
def child_views_at_conferences(period: Period) -> Result:
    """Conferences held in the period (one per child) at which the child attended or the
    child's views were given (in person, through an advocate, in writing or a recording, or by
    a professional), as a percentage of conferences of children born by then and not recorded
    as too young to give views. The table gives how the views came."""
    qs = _conferences_of_children_who_could_give_views(period)
    summary = conference_summary(period)
    row = {
        "n": summary["views_n"], "yes": summary["views_yes"],
        "attended": summary["views_attended"],
    }  # fmt: skip
    by_way = counts_by(qs.exclude(child_views=""), "child_views", list(ChildViews.values))
    return Result(
        value=pct(row["yes"], row["n"]),
        numerator=row["yes"],
        denominator=row["n"],
        columns=["how", "conferences"],
        table=[
            ["child attended", row["attended"]],
            *[[ChildViews(k).label, v] for k, v in by_way.items()],
        ],  # fmt: skip
    )


@child_views_at_conferences.rows(columns=(*CONFERENCE_COLUMNS, ("Child's views", "child_views")))
def _(period: Period, cell: str | None) -> QuerySet:
    qs = _conferences_of_children_who_could_give_views(period)
    return conference_rows(qs if cell == "denominator" else qs.filter(VIEWS_HEARD))
