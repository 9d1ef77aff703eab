"""What the review figures share: the drill-down columns, the reviews held in a period (and
those that count for timeliness), the conditions several figures test, and the counts over the
reviews held that they read in one query.
"""

from datetime import date

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from reporting.figures.base import Period, shared
from reporting.figures.series import (
    is_month_key,
    month_bounds,
)
from reporting.figures.workdays import WorkingDays
from reviews.models import (
    IroContact,
    Review,
    ReviewSequence,
    ReviewSource,
    ReviewStatus,
)
from reviews.rules import PAPERS_FULL_WORKING_DAYS

REVIEW_COLUMNS = (
    ("LA child ID", "child__la_child_id"),
    ("Child", "child__first_name"),
    ("Sequence", "sequence"),
    ("Due", "due_date"),
    ("Held", "held_on"),
)
TIMELINESS_COLUMNS = (*REVIEW_COLUMNS, ("Status", "status"))
PN_CODES = ["PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"]
TOOK_PART = Q(participation__in=["PN1", "PN2", "PN3", "PN4", "PN5", "PN6"])
AGED_4_PLUS = ~Q(participation="PN0")
# A review's place in its period of care (and so its due date) is known: every review recorded in
# the service, and every imported one the SSDA903 return could place (docs/rules.md section 1).
PLACED = ~Q(sequence=ReviewSequence.NOT_KNOWN)
NOT_PLACED = Q(sequence=ReviewSequence.NOT_KNOWN)
ON_TIME = Q(status=ReviewStatus.HELD, held_on__lte=F("due_date")) & PLACED
OUT_OF_TIMESCALE = ~Q(status=ReviewStatus.HELD, held_on__lte=F("due_date")) & PLACED


def in_review_order(qs: QuerySet) -> QuerySet:
    return qs.order_by("held_on", "due_date", "pk")


@shared
def reviews_held(period: Period) -> QuerySet:
    """CLA reviews held in the period (held date inside it)."""
    return Review.objects.filter(
        status=ReviewStatus.HELD, held_on__gte=period.start, held_on__lte=period.end
    )


@shared
def reviews_for_timeliness(period: Period) -> QuerySet:
    """Reviews held in the period and reviews missed whose due date is in it, with the date the
    review belongs to (held date, or due date for a missed one) as ``on``."""
    return Review.objects.filter(
        Q(status=ReviewStatus.HELD, held_on__gte=period.start, held_on__lte=period.end)
        | Q(status=ReviewStatus.MISSED, due_date__gte=period.start, due_date__lte=period.end)
    ).annotate(on=Coalesce("held_on", "due_date"))


def held_rows(period: Period, cell: str | None, condition: Q | None = None) -> QuerySet:
    """Reviews held: the denominator, those meeting `condition`, or one month's (cell YYYY-MM)."""
    qs = reviews_held(period)
    if is_month_key(cell):
        start, end = month_bounds(cell)
        qs = qs.filter(held_on__gte=start, held_on__lte=end)
    elif cell != "denominator" and condition is not None:
        qs = qs.filter(condition)
    return in_review_order(qs)


@shared
def held_summary(period: Period) -> dict:
    """Counts over the reviews held in the period that several figures share, in one query."""
    qs = with_report_days(reviews_held(period))
    return qs.aggregate(
        n=Count("pk"),
        aged_4_plus=Count("pk", filter=AGED_4_PLUS),
        attended=Count("pk", filter=AGED_4_PLUS & Q(child_attended=True)),
        seen=Count("pk", filter=iro_saw_child_before()),
        plan=Count("pk", filter=HAS_PLAN),
        plan_not_known=Count("pk", filter=PLAN_NOT_KNOWN),
        voice=Count("pk", filter=VOICE),
        papers=Count("pk", filter=papers_ready_condition()),
        issues=Count("pk", filter=ISSUE),
        children_with_issue=Count("child", filter=ISSUE, distinct=True),
    )


def iro_saw_child_before() -> Q:
    """The IRO saw or spoke to the child before the review: recorded on the review, or an IRO
    visit or contact after the previous review (or the start of care) and on or before it."""
    previous = (
        Review.objects.filter(
            child=OuterRef(OuterRef("child")),
            status=ReviewStatus.HELD,
            held_on__lt=OuterRef(OuterRef("held_on")),
            held_on__gte=OuterRef(OuterRef("period_start")),
        )
        .order_by("-held_on")
        .values("held_on")[:1]
    )
    contact = IroContact.objects.filter(
        child=OuterRef("child"),
        contact_on__lte=OuterRef("held_on"),
        contact_on__gte=OuterRef("period_start"),
        contact_on__gt=Coalesce(Subquery(previous), Value(date(1900, 1, 1))),
    )
    return Q(child_seen_before=True) | Q(Exists(contact))


HAS_PLAN = ~Q(permanence_plan_type="")
# A review imported from an SSDA903 return with no plan recorded since: the return carries no
# permanence plan, so the plan is not known (not "no plan"). REV-12 to REV-14 leave these reviews
# out of their denominators and say how many.
PLAN_NOT_KNOWN = Q(source=ReviewSource.SSDA903, permanence_plan_type="")
PLAN_KNOWN = ~PLAN_NOT_KNOWN


VOICE = Q(childs_views_considered=True)


ISSUE = Q(safeguarding_issue=True)


def papers_ready_condition() -> Q:
    """reviews.rules.papers_ready in SQL: at least 3 full working days between the day the report
    arrived and the review, so working days after the arrival up to the review >= 3 + 1."""
    return Q(sw_report_received_on__isnull=False) & Q(
        _report_days__gte=PAPERS_FULL_WORKING_DAYS + 1
    )


def with_report_days(qs: QuerySet) -> QuerySet:
    return qs.annotate(_report_days=WorkingDays(F("sw_report_received_on"), F("held_on")))
