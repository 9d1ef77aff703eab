"""Area 4 of the figure catalogue (docs/figures.md): looked-after (CLA) reviews (REV-01 to REV-17).

Conventions of this module:
- A review "held in the year" is one recorded as held with its date inside the period.
- "Aged 4 and over" is read from the participation code: PN0 is recorded if and only if the child
  was under 4 on the review date (903 rules 440/441, enforced when the outcome is recorded).
- Timeliness: a review is on time when held on or before its due date. A review that fell due
  while the child was looked after and was never held (status MISSED) is out of timescale, and
  belongs to the month of its due date.

Not computed here, because the service holds no such data:
- REV-10 (initial health assessment before the first review): no health assessment dates.
- REV-11 (PEP in place before the first review): no personal education plan dates.
"""

from datetime import date

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from iro import codes
from iro.codes import SHORT_BREAK_LEGAL_STATUSES
from iro.models import CareEpisode
from reporting.figures.base import Kind, Period, Result, figure, pct, shared
from reporting.figures.series import (
    counts_by,
    is_month_key,
    month_bounds,
    monthly_counts,
    monthly_pct,
)
from reporting.figures.workdays import WorkingDays
from reviews.models import (
    IroContact,
    NonAttendanceReason,
    PermanencePlanType,
    PermanenceTrack,
    Review,
    ReviewMode,
    ReviewSequence,
    ReviewStatus,
    SafeguardingIssue,
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
ON_TIME = Q(status=ReviewStatus.HELD, held_on__lte=F("due_date"))
OUT_OF_TIMESCALE = ~ON_TIME


def _order(qs: QuerySet) -> QuerySet:
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


def _held_rows(period: Period, cell: str | None, condition: Q | None = None) -> QuerySet:
    """Reviews held: the denominator, those meeting `condition`, or one month's (cell YYYY-MM)."""
    qs = reviews_held(period)
    if is_month_key(cell):
        start, end = month_bounds(cell)
        qs = qs.filter(held_on__gte=start, held_on__lte=end)
    elif cell != "denominator" and condition is not None:
        qs = qs.filter(condition)
    return _order(qs)


@shared
def held_summary(period: Period) -> dict:
    """Counts over the reviews held in the period that several figures share, in one query."""
    qs = _with_report_days(reviews_held(period))
    return qs.aggregate(
        n=Count("pk"),
        aged_4_plus=Count("pk", filter=AGED_4_PLUS),
        attended=Count("pk", filter=AGED_4_PLUS & Q(child_attended=True)),
        seen=Count("pk", filter=_seen_before()),
        plan=Count("pk", filter=HAS_PLAN),
        voice=Count("pk", filter=VOICE),
        papers=Count("pk", filter=_papers_ready()),
        issues=Count("pk", filter=ISSUE),
        children_with_issue=Count("child", filter=ISSUE, distinct=True),
    )


# --- REV-01 to REV-04: how many, when, on time ---------------------------------------------------


@figure(
    "REV-01",
    title="CLA reviews held",
    kind=Kind.COUNT,
    section="reviews",
    unit="reviews",
    better="neither",
)
def reviews_held_count(period: Period) -> Result:
    """Looked-after reviews held in the period (statutory and adoption reviews alike: a review
    held is one meeting recorded as held, whatever its sequence)."""
    return Result(value=held_summary(period)["n"])


@reviews_held_count.rows(columns=REVIEW_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    return reviews_held(period).order_by("held_on", "pk")


@figure(
    "REV-02",
    title="CLA reviews held per month",
    kind=Kind.COUNT,
    section="reviews",
    unit="reviews",
    better="neither",
    covers="each month",
)
def reviews_held_per_month(period: Period) -> Result:
    """Reviews held in each calendar month of the period (by the date held), with the mean per
    month and the highest and lowest months in the table."""
    months = monthly_counts(reviews_held(period), "held_on", period)
    total = sum(months.values())
    table = []
    if months:
        high = max(months, key=lambda k: months[k])
        low = min(months, key=lambda k: months[k])
        table = [
            ["mean per month", round(total / len(months), 1)],
            [f"highest ({high})", months[high]],
            [f"lowest ({low})", months[low]],
        ]
    return Result(value=total, months=months, columns=["measure", "reviews"], table=table)


@reviews_held_per_month.rows(columns=REVIEW_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    return _held_rows(period, cell)


@figure(
    "REV-03",
    title="CLA reviews held on time",
    kind=Kind.PCT,
    section="reviews",
    unit="%",
    target=95,
)
def reviews_on_time(period: Period) -> Result:
    """Reviews on time as a percentage of reviews that fell to be held in the period.

    Denominator: reviews held in the period plus reviews missed (never held although they fell
    due while the child was looked after) whose due date is in the period. Numerator: reviews
    held on or before their due date (the first review 20 working days after entering care, the
    second 3 months after the first, then 6-monthly, with adoption reviews, as reviews.rules
    computes them). The year's figure is on-time reviews divided by all reviews, not the mean of
    the monthly percentages (a published report gave 85%, 83.7% and 82% for one year). Monthly values: the reviews of each
    month (held date, or due date for a missed review).
    """
    qs = reviews_for_timeliness(period)
    row = qs.aggregate(
        n=Count("pk"),
        on_time=Count("pk", filter=ON_TIME),
        missed=Count("pk", filter=Q(status=ReviewStatus.MISSED)),
    )
    late = row["n"] - row["on_time"] - row["missed"]
    return Result(
        value=pct(row["on_time"], row["n"]),
        numerator=row["on_time"],
        denominator=row["n"],
        breakdown={"on time": row["on_time"], "held late": late, "missed": row["missed"]},
        months=monthly_pct(qs, "on", ON_TIME, period),
        note="Reviews on time ÷ reviews held or missed in the year (missed reviews are late).",
    )


@reviews_on_time.rows(columns=TIMELINESS_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = reviews_for_timeliness(period)
    if is_month_key(cell):
        start, end = month_bounds(cell)
        qs = qs.filter(on__gte=start, on__lte=end)
    elif cell is None or cell == "on time":
        qs = qs.filter(ON_TIME)
    elif cell == "held late":
        qs = qs.filter(status=ReviewStatus.HELD, held_on__gt=F("due_date"))
    elif cell == "missed":
        qs = qs.filter(status=ReviewStatus.MISSED)
    return qs.order_by("on", "pk")


SEQUENCES = [s.value for s in ReviewSequence]


@figure(
    "REV-04",
    title="Late first reviews among late reviews",
    kind=Kind.PCT,
    section="reviews",
    unit="%",
    better="lower",
)
def late_reviews_by_sequence(period: Period) -> Result:
    """Reviews out of timescale in the period (held late or missed, on the REV-03 basis) by
    review number; the value is the share that were first reviews (the seed report: 105 of 255).
    """
    late = reviews_for_timeliness(period).filter(OUT_OF_TIMESCALE)
    breakdown = counts_by(late, "sequence", SEQUENCES)
    total = sum(breakdown.values())
    first = breakdown[ReviewSequence.FIRST]
    return Result(value=pct(first, total), numerator=first, denominator=total, breakdown=breakdown)


@late_reviews_by_sequence.rows(columns=TIMELINESS_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = reviews_for_timeliness(period).filter(OUT_OF_TIMESCALE)
    if cell is None:
        qs = qs.filter(sequence=ReviewSequence.FIRST)
    elif cell in SEQUENCES:
        qs = qs.filter(sequence=cell)
    return qs.order_by("on", "pk")


# --- REV-05 to REV-08: participation, attendance, venue ------------------------------------------


@figure(
    "REV-05",
    title="Children aged 4 and over who took part in their review",
    kind=Kind.PCT,
    section="reviews",
    unit="%",
    labels=codes.ParticipationCode,
)
def participation(period: Period) -> Result:
    """Reviews held in the period by participation code (PN0-PN7). The value is the DfE-style
    basis the Darlington and Birmingham reports use: reviews where the child took part (PN1-PN6)
    as a percentage of reviews of children aged 4 and over (PN0 left out). Middlesbrough divides
    PN1-PN6 by all reviews, under-4s included: that figure is in the table, labelled.
    """
    held = reviews_held(period)
    breakdown = counts_by(held, "participation", PN_CODES)
    total = sum(breakdown.values())
    aged_4_plus = total - breakdown["PN0"]
    took_part = sum(breakdown[c] for c in PN_CODES[1:7])
    return Result(
        value=pct(took_part, aged_4_plus),
        numerator=took_part,
        denominator=aged_4_plus,
        breakdown=breakdown,
        columns=["basis", "took part", "reviews", "%"],
        table=[
            [
                "children aged 4 and over (under-4s left out)",
                took_part,
                aged_4_plus,
                pct(took_part, aged_4_plus),
            ],
            ["all reviews (under-4s included)", took_part, total, pct(took_part, total)],
        ],  # fmt: skip
        note="Value: reviews where the child took part (attended, or conveyed their views "
        "another way) ÷ reviews of children aged 4 and over.",
    )


@participation.rows(columns=(*REVIEW_COLUMNS, ("Participation", "participation")))
def _(period: Period, cell: str | None) -> QuerySet:
    if cell in PN_CODES:
        return _order(reviews_held(period).filter(participation=cell))
    if cell == "denominator":
        return _order(reviews_held(period).filter(AGED_4_PLUS))
    return _order(reviews_held(period).filter(TOOK_PART))


@figure(
    "REV-06",
    title="Child attended the review",
    kind=Kind.PCT,
    section="reviews",
    unit="%",
)
def child_attended(period: Period) -> Result:
    """Reviews held in the period at which the child was present (in the room or joining a
    virtual or hybrid meeting), as a percentage of reviews of children aged 4 and over (PN0 left
    out: a baby's presence is not participation)."""
    row = held_summary(period)
    n, yes = row["aged_4_plus"], row["attended"]
    return Result(value=pct(yes, n), numerator=yes, denominator=n)


@child_attended.rows(columns=REVIEW_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = reviews_held(period).filter(AGED_4_PLUS)
    return _order(qs if cell == "denominator" else qs.filter(child_attended=True))


REASONS = [r.value for r in NonAttendanceReason]


@figure(
    "REV-07",
    title="Child did not attend by their own choice",
    kind=Kind.PCT,
    section="reviews",
    unit="%",
    better="neither",
)
def why_not_attended(period: Period) -> Result:
    """Reviews held in the period of children aged 4 and over who did not attend, by the reason
    recorded; the value is the share where not attending was the child's own choice (the seed
    report: about two-thirds). Reasons not recorded are counted under ``not recorded``."""
    absent = reviews_held(period).filter(AGED_4_PLUS, child_attended=False)
    breakdown = counts_by(absent, "non_attendance_reason", [*REASONS, ""])
    breakdown["not recorded"] = breakdown.pop("")
    total = sum(breakdown.values())
    own = breakdown[NonAttendanceReason.CHILD_CHOICE]
    return Result(value=pct(own, total), numerator=own, denominator=total, breakdown=breakdown)


@why_not_attended.rows(columns=(*REVIEW_COLUMNS, ("Reason", "non_attendance_reason")))
def _(period: Period, cell: str | None) -> QuerySet:
    qs = reviews_held(period).filter(AGED_4_PLUS, child_attended=False)
    if cell is None:
        qs = qs.filter(non_attendance_reason=NonAttendanceReason.CHILD_CHOICE)
    elif cell == "not recorded":
        qs = qs.filter(non_attendance_reason="")
    elif cell in REASONS:
        qs = qs.filter(non_attendance_reason=cell)
    return _order(qs)


MODES = [m.value for m in ReviewMode]
VENUES = ["home", "school", "office", "virtual", "hybrid"]


@figure(
    "REV-08",
    title="Reviews held wholly in person",
    kind=Kind.PCT,
    section="reviews",
    unit="%",
    better="neither",
)
def venue_and_mode(period: Period) -> Result:
    """Reviews held in the period by mode (``in_person``, ``virtual``, ``hybrid``) and by venue
    (``venue:home``, ``venue:school``, ``venue:office``, ``venue:virtual``, ``venue:hybrid``).
    The value is the share held wholly in person, of reviews whose mode is recorded."""
    held = reviews_held(period)
    modes = counts_by(held.exclude(mode=""), "mode", MODES)
    venues = counts_by(held.exclude(actual_venue=""), "actual_venue", VENUES)
    total = sum(modes.values())
    in_person = modes[ReviewMode.IN_PERSON]
    return Result(
        value=pct(in_person, total),
        numerator=in_person,
        denominator=total,
        breakdown={**modes, **{f"venue:{k}": v for k, v in venues.items()}},
    )


@venue_and_mode.rows(columns=(*REVIEW_COLUMNS, ("Mode", "mode"), ("Venue", "actual_venue")))
def _(period: Period, cell: str | None) -> QuerySet:
    qs = reviews_held(period)
    if cell is None:
        qs = qs.filter(mode=ReviewMode.IN_PERSON)
    elif cell == "denominator":
        qs = qs.exclude(mode="")
    elif cell in MODES:
        qs = qs.filter(mode=cell)
    elif cell and cell.startswith("venue:"):
        qs = qs.filter(actual_venue=cell.removeprefix("venue:"))
    return _order(qs)


# --- REV-09: IRO contact before the review ------------------------------------------------------


def _seen_before() -> Q:
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


@figure(
    "REV-09",
    title="Child seen or contacted by the IRO before the review",
    kind=Kind.PCT,
    section="reviews",
    unit="%",
    target=95,
)
def seen_before(period: Period) -> Result:
    """Reviews held in the period where the IRO saw or contacted the child beforehand: the
    review records that the IRO saw the child, or an IRO visit, video call, phone call or other
    contact is recorded since the previous review (or since care started, for a first review)."""
    row = held_summary(period)
    return Result(value=pct(row["seen"], row["n"]), numerator=row["seen"], denominator=row["n"])


@seen_before.rows(columns=REVIEW_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    return _held_rows(period, cell, _seen_before())


# --- REV-12 to REV-15: permanence and the child's voice ------------------------------------------

HAS_PLAN = ~Q(permanence_plan_type="")


@figure(
    "REV-12",
    title="Permanence plan in place at the review",
    kind=Kind.PCT,
    section="reviews",
    unit="%",
)
def permanence_plan(period: Period) -> Result:
    """Reviews held in the period at which a permanence plan was recorded (any type), as a
    percentage of reviews held; monthly percentages by the month held."""
    months = monthly_pct(reviews_held(period), "held_on", HAS_PLAN, period)
    row = held_summary(period)
    return Result(
        value=pct(row["plan"], row["n"]), numerator=row["plan"], denominator=row["n"], months=months
    )


@permanence_plan.rows(columns=(*REVIEW_COLUMNS, ("Plan", "permanence_plan_type")))
def _(period: Period, cell: str | None) -> QuerySet:
    return _held_rows(period, cell, HAS_PLAN)


@figure(
    "REV-13",
    title="Permanence plan at the second review",
    kind=Kind.PCT,
    section="reviews",
    unit="%",
)
def permanence_plan_second_review(period: Period) -> Result:
    """Second reviews held in the period (due 3 months after the first, about 4 months after
    entering care) at which a permanence plan was recorded, as a percentage of second reviews."""
    second = reviews_held(period).filter(sequence=ReviewSequence.SECOND)
    row = second.aggregate(n=Count("pk"), yes=Count("pk", filter=HAS_PLAN))
    return Result(
        value=pct(row["yes"], row["n"]),
        numerator=row["yes"],
        denominator=row["n"],
        months=monthly_pct(second, "held_on", HAS_PLAN, period),
    )


@permanence_plan_second_review.rows(columns=(*REVIEW_COLUMNS, ("Plan", "permanence_plan_type")))
def _(period: Period, cell: str | None) -> QuerySet:
    qs = reviews_held(period).filter(sequence=ReviewSequence.SECOND)
    if is_month_key(cell):
        start, end = month_bounds(cell)
        qs = qs.filter(held_on__gte=start, held_on__lte=end)
    elif cell != "denominator":
        qs = qs.filter(HAS_PLAN)
    return _order(qs)


TRACKS = [t.value for t in PermanenceTrack]
PLAN_TYPES = [p.value for p in PermanencePlanType]


@figure(
    "REV-14",
    title="Permanence plans on a single track",
    kind=Kind.PCT,
    section="reviews",
    unit="%",
    better="neither",
)
def permanence_track_and_type(period: Period) -> Result:
    """Reviews held in the period with a permanence plan and its track recorded, by track
    (single, twin, triple); the value is the share on a single track. The table gives each plan
    type as a percentage of all reviews held, split into single-track plans and plans that are
    part of a parallel (twin or triple) plan, as the Birmingham report does."""
    held = reviews_held(period)
    tracks = counts_by(held.filter(HAS_PLAN).exclude(permanence_track=""), "permanence_track",
                       TRACKS)  # fmt: skip
    total_tracked = sum(tracks.values())
    rows = (
        held.filter(HAS_PLAN)
        .order_by()
        .values("permanence_plan_type")
        .annotate(
            single=Count("pk", filter=Q(permanence_track=PermanenceTrack.SINGLE)),
            parallel=Count("pk", filter=Q(permanence_track__in=["twin", "triple"])),
        )
    )
    by_type = {r["permanence_plan_type"]: r for r in rows}
    all_held = held.aggregate(n=Count("pk"))["n"]
    table = [
        [
            PermanencePlanType(t).label,
            by_type.get(t, {}).get("single", 0),
            pct(by_type.get(t, {}).get("single", 0), all_held),
            by_type.get(t, {}).get("parallel", 0),
            pct(by_type.get(t, {}).get("parallel", 0), all_held),
        ]
        for t in PLAN_TYPES
    ]
    return Result(
        value=pct(tracks[PermanenceTrack.SINGLE], total_tracked),
        numerator=tracks[PermanenceTrack.SINGLE],
        denominator=total_tracked,
        breakdown=tracks,
        columns=["plan type", "single track", "% of reviews", "parallel plan", "% of reviews"],
        table=table,
    )


@permanence_track_and_type.rows(
    columns=(*REVIEW_COLUMNS, ("Plan", "permanence_plan_type"), ("Track", "permanence_track"))
)
def _(period: Period, cell: str | None) -> QuerySet:
    qs = reviews_held(period).filter(HAS_PLAN).exclude(permanence_track="")
    if cell is None:
        qs = qs.filter(permanence_track=PermanenceTrack.SINGLE)
    elif cell in TRACKS:
        qs = qs.filter(permanence_track=cell)
    return _order(qs)


VOICE = Q(childs_views_considered=True)


@figure(
    "REV-15",
    title="Child's voice considered in the care plan",
    kind=Kind.PCT,
    section="reviews",
    unit="%",
)
def voice_considered(period: Period) -> Result:
    """Reviews held in the period at which the IRO judged that the child's wishes and feelings
    were considered in the care plan, as a percentage of all reviews held (the Birmingham basis:
    for the youngest children the IRO judges from observation and the carers' account)."""
    row = held_summary(period)
    return Result(value=pct(row["voice"], row["n"]), numerator=row["voice"], denominator=row["n"])


@voice_considered.rows(columns=REVIEW_COLUMNS)
def _(period: Period, cell: str | None) -> QuerySet:
    return _held_rows(period, cell, VOICE)


# --- REV-16, REV-17: safeguarding issues, papers ready ------------------------------------------

ISSUE = Q(safeguarding_issue=True)
ISSUE_TYPES = [i.value for i in SafeguardingIssue]


@shared
def children_looked_after_in(period: Period) -> int:
    """How many children were looked after at any time in the period (short breaks left out)."""
    return (
        CareEpisode.objects.filter(start__lte=period.end)
        .filter(Q(end__isnull=True) | Q(end__gte=period.start))
        .exclude(legal_status__in=SHORT_BREAK_LEGAL_STATUSES)
        .aggregate(n=Count("child", distinct=True))["n"]
    )


@figure(
    "REV-16",
    title="Reviews with a current safeguarding issue",
    kind=Kind.COUNT,
    section="reviews",
    unit="reviews",
    better="lower",
)
def safeguarding_issues(period: Period) -> Result:
    """Reviews held in the period at which a current safeguarding issue was raised (count, and
    as a percentage of reviews held); the breakdown counts the reviews naming each issue type
    (a review may name several). The table adds children with an issue at any review in the
    period as a percentage of children looked after at any time in the period (CLA-05 basis)."""
    held = reviews_held(period)
    summary = held_summary(period)
    row = {"n": summary["n"], "yes": summary["issues"], "children": summary["children_with_issue"]}
    in_care = children_looked_after_in(period)
    type_rows = dict(
        held.filter(ISSUE)
        .order_by()
        .annotate(_type=Func(F("safeguarding_types"), function="unnest", output_field=CharField()))
        .values("_type")
        .annotate(_n=Count("pk"))
        .values_list("_type", "_n")
    )
    breakdown = {t: type_rows.get(t, 0) for t in ISSUE_TYPES}
    return Result(
        value=row["yes"],
        numerator=row["yes"],
        denominator=row["n"],
        breakdown=breakdown,
        columns=["measure", "with an issue", "of", "%"],
        table=[
            ["reviews held", row["yes"], row["n"], pct(row["yes"], row["n"])],
            [
                "children looked after in the year",
                row["children"],
                in_care,
                pct(row["children"], in_care),
            ],
        ],  # fmt: skip
    )


@safeguarding_issues.rows(columns=(*REVIEW_COLUMNS, ("Issue types", "safeguarding_types")))
def _(period: Period, cell: str | None) -> QuerySet:
    qs = reviews_held(period)
    if cell in ISSUE_TYPES:
        qs = qs.filter(safeguarding_types__contains=[cell])
    elif cell != "denominator":
        qs = qs.filter(ISSUE)
    return _order(qs)


def _papers_ready() -> Q:
    """reviews.rules.papers_ready in SQL: at least 3 full working days between the day the report
    arrived and the review, so working days after the arrival up to the review >= 3 + 1."""
    return Q(sw_report_received_on__isnull=False) & Q(
        _report_days__gte=PAPERS_FULL_WORKING_DAYS + 1
    )


def _with_report_days(qs: QuerySet) -> QuerySet:
    return qs.annotate(_report_days=WorkingDays(F("sw_report_received_on"), F("held_on")))


@figure(
    "REV-17",
    title="Social worker's report ready before the review",
    kind=Kind.PCT,
    section="reviews",
    unit="%",
)
def papers_ready(period: Period) -> Result:
    """REV-17: reviews held in the period for which the social worker's report was available at
    least 3 *full* working days before the meeting, as a percentage of reviews held.

    Reading (reviews.rules.papers_ready, which states it with its source: the definition of REV-17 and
    docs/rules.md section 4, "Working days"): a full working day lies wholly between the day the report
    arrived and the day of the review, neither counted; for a Friday review the report must have
    arrived by the Monday. A review with no report date recorded counts as not ready. Working
    days exclude weekends and England and Wales bank holidays."""
    row = held_summary(period)
    return Result(value=pct(row["papers"], row["n"]), numerator=row["papers"], denominator=row["n"])


@papers_ready.rows(columns=(*REVIEW_COLUMNS, ("Report received", "sw_report_received_on")))
def _(period: Period, cell: str | None) -> QuerySet:
    qs = _with_report_days(reviews_held(period))
    return _order(qs if cell == "denominator" else qs.filter(_papers_ready()))
