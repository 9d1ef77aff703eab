"""The child at the review (REV-05 to REV-09): participation, attendance and why not, venue and
mode, and whether the IRO saw or spoke to the child before it.
"""

from django.db.models import (
    QuerySet,
)

from iro import codes
from reporting.figures.base import Kind, Period, Result, figure, pct
from reporting.figures.reviews.common import (
    AGED_4_PLUS,
    PN_CODES,
    REVIEW_COLUMNS,
    TOOK_PART,
    held_rows,
    held_summary,
    in_review_order,
    iro_saw_child_before,
    reviews_held,
)
from reporting.figures.series import (
    counts_by,
)
from reviews.models import (
    NonAttendanceReason,
    ReviewMode,
)


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
        return in_review_order(reviews_held(period).filter(participation=cell))
    if cell == "denominator":
        return in_review_order(reviews_held(period).filter(AGED_4_PLUS))
    return in_review_order(reviews_held(period).filter(TOOK_PART))


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
    return in_review_order(qs if cell == "denominator" else qs.filter(child_attended=True))


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
    return in_review_order(qs)


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
    return in_review_order(qs)


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
    return held_rows(period, cell, iro_saw_child_before())
