"""Area 9 of the figure catalogue (docs/figures.md): IRO monitoring and quality assurance (QA-01 to QA-08).

Not computed here:
- QA-04 (monitoring tool findings for child protection): the service's monitoring tool is the
  looked-after one; no CP quality form is held.
- QA-05, QA-06 (audit grades and findings): kind AUDIT, people's judgement of a sample.
- QA-07 (observations and reading of records): no observation or record-check log is held.
- QA-08: a description of a data set, with no values.
"""

from django.db.models import CharField, Count, Q, QuerySet, Value

from reporting.figures.base import Kind, Period, Result, figure, pct, shared
from reviews.models import ContactKind, IroContact, MidwayReview, MonitoringCheck

CONTACT_KINDS = [k.value for k in ContactKind]


@shared
def contacts_in(period: Period) -> QuerySet:
    return IroContact.objects.filter(contact_on__gte=period.start, contact_on__lte=period.end)


@shared
def midways_in(period: Period) -> QuerySet:
    return MidwayReview.objects.filter(held_on__gte=period.start, held_on__lte=period.end)


@figure(
    "QA-01",
    title="IRO visits, contacts and midway reviews",
    kind=Kind.COUNT,
    section="quality",
    unit="records",
)
def oversight_between_reviews(period: Period) -> Result:
    """IRO visits and contacts with children (by kind: visit, video, phone, other) and midway
    reviews recorded in the period; the value is their total (Middlesbrough counts "visits and
    midway reviews" together: 1,097 in 2023/24)."""
    contacts = dict(
        contacts_in(period)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    breakdown = {k: contacts.get(k, 0) for k in CONTACT_KINDS}
    breakdown["midway"] = midways_in(period).count()
    return Result(value=sum(breakdown.values()), breakdown=breakdown)


@oversight_between_reviews.rows(
    columns=(("LA child ID", "child__la_child_id"), ("Date", "contact_on"), ("Kind", "kind"))
)
def _(period: Period, cell: str | None) -> QuerySet:
    """Visits and contacts (cell = their kind); midway reviews (cell ``midway``), and for cell
    None both, as (LA child ID, date, kind, child) rows: midway reviews have no contact date or
    kind, so they are read as rows of those columns (a union for both tables, every row kept),
    which the drill-down takes as they are."""
    if cell in CONTACT_KINDS:
        return contacts_in(period).filter(kind=cell).order_by("contact_on", "pk")
    midways = (
        midways_in(period)
        .order_by()
        .values_list(
            "child__la_child_id", "held_on", Value("midway", output_field=CharField()), "child_id"
        )
    )
    if cell == "midway":
        return midways.order_by("held_on", "pk")
    contacts = (
        contacts_in(period)
        .order_by()
        .values_list("child__la_child_id", "contact_on", "kind", "child_id")
    )
    return contacts.union(midways, all=True).order_by("contact_on", "child__la_child_id")


@shared
def checks_in(period: Period) -> QuerySet:
    return MonitoringCheck.objects.filter(checked_on__gte=period.start, checked_on__lte=period.end)


CHECK_COLUMNS = (
    ("LA child ID", "child__la_child_id"),
    ("Checked", "checked_on"),
    ("Plan up to date", "plan_up_to_date"),
)


@figure(
    "QA-02",
    title="IRO monitoring checks completed",
    kind=Kind.COUNT,
    section="quality",
    unit="checks",
)
def monitoring_checks(period: Period) -> Result:
    """IRO monitoring tool checks (quality of the looked-after child's plan) completed in the
    period; the table gives how many children they covered."""
    row = checks_in(period).aggregate(n=Count("pk"), children=Count("child", distinct=True))
    return Result(value=row["n"], columns=["children checked"], table=[[row["children"]]])


@monitoring_checks.rows(columns=CHECK_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    return checks_in(period).order_by("checked_on", "pk")


STANDARDS = {
    "plan up to date": "plan_up_to_date",
    "plan SMART": "plan_smart",
    "assessment current": "assessment_current",
    "voice of the child": "voice_of_child",
}


@figure(
    "QA-03",
    title="Monitoring checks finding the care plan up to date",
    kind=Kind.PCT,
    section="quality",
    unit="%",
)
def monitoring_findings(period: Period) -> Result:
    """Monitoring checks completed in the period that found the care plan up to date, as a
    percentage of checks (Middlesbrough 2020/21: 75%); the breakdown gives the percentage
    meeting each standard (plan up to date, SMART, assessment current, voice of the child)."""
    row = checks_in(period).aggregate(
        n=Count("pk"), **{f: Count("pk", filter=Q(**{f: True})) for f in STANDARDS.values()}
    )
    return Result(
        value=pct(row["plan_up_to_date"], row["n"]),
        numerator=row["plan_up_to_date"],
        denominator=row["n"],
        breakdown={k: pct(row[f], row["n"]) for k, f in STANDARDS.items()},
    )


@monitoring_findings.rows(columns=CHECK_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = checks_in(period)
    return (
        qs.order_by("checked_on", "pk")
        if cell == "denominator"
        else qs.filter(plan_up_to_date=True).order_by("checked_on", "pk")
    )
