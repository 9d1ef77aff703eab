"""Statutory and service rules for looked-after (CLA) reviews: pure functions, no ORM.

Sources (docs/rules.md section 1): Care Planning, Placement and Case Review (England) Regulations
2010 reg 33 (CLA reviews), Adoption Agencies Regulations 2005 reg 36 (adoption reviews), SSDA903
rules 399 (no reviews for short breaks) and 440/441 (PN0 if and only if under 4).
Working days follow iro.rules: the day after the trigger is working day 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from iro.codes import SHORT_BREAK_LEGAL_STATUSES
from iro.rules import (
    add_months,
    add_weeks,
    add_working_days,
    age_on,
    booking_deadline,
    working_days_between,
)

FIRST_REVIEW_WORKING_DAYS = 20  # REG 33(1)
SECOND_REVIEW_MONTHS = 3  # REG 33(2)
LATER_REVIEW_MONTHS = 6  # REG 33(2)
ADOPTION_AUTHORITY_FIRST_MONTHS = 3  # AAR 36(1)
ADOPTION_PLACED_FIRST_WEEKS = 4  # AAR 36(3)
MANAGER_INFORMED_WORKING_DAYS = 5
RECORD_COMPLETED_WORKING_DAYS = 15
RECORD_DISTRIBUTED_WORKING_DAYS = 20
SW_REPORT_WORKING_DAYS_BEFORE = 3
# REV-17: the social worker's report is ready when this many full working days lie between the
# day it reached the IRO and the day of the review (papers_ready).
PAPERS_FULL_WORKING_DAYS = 3

# Legal statuses that give the authority to place for adoption (placement order, freeing order)
# and placement types that mean the child is placed for adoption (A3/A4 with s19 consent, which
# is itself the authority; A5/A6 under a placement order).
ADOPTION_AUTHORITY_LEGAL_STATUSES = frozenset({"E1", "D1"})
ADOPTION_PLACEMENT_TYPES = frozenset({"A3", "A4", "A5", "A6"})


class EpisodeLike(Protocol):
    start: date
    end: date | None
    reason_new_episode: str
    reason_ceased: str
    legal_status: str
    placement_type: str


# --- the CLA cycle ------------------------------------------------------------------------------


def first_review_due(period_start: date) -> date:
    """First review: within 20 working days of the start of the period of care (REG 33(1))."""
    return add_working_days(period_start, FIRST_REVIEW_WORKING_DAYS)


def second_review_due(first_held: date) -> date:
    """Second review: within 3 months of the first review actually held (REG 33(2))."""
    return add_months(first_held, SECOND_REVIEW_MONTHS)


def later_review_due(previous_held: date) -> date:
    """Third and later reviews: within 6 months of the previous review actually held (REG 33(2))."""
    return add_months(previous_held, LATER_REVIEW_MONTHS)


def cla_review_due(period_start: date, held: Sequence[date]) -> date:
    """Due date of the next CLA review, given the reviews held in this period of care (sorted)."""
    if not held:
        return first_review_due(period_start)
    if len(held) == 1:
        return second_review_due(held[0])
    return later_review_due(held[-1])


def sequence_for(held_count: int) -> str:
    """first / second / subsequent, from the number of reviews already held in the period."""
    return {0: "first", 1: "second"}.get(held_count, "subsequent")


# --- adoption reviews (AAR 36) ------------------------------------------------------------------


def adoption_authority_review_due(authority_from: date, held: Sequence[date]) -> date:
    """Authority to place held, child not yet placed: 3 months after authority first held, then
    6-monthly (AAR 36(1)). `held` are the reviews held since authority was first held."""
    since = [d for d in held if d >= authority_from]
    if not since:
        return add_months(authority_from, ADOPTION_AUTHORITY_FIRST_MONTHS)
    return add_months(since[-1], LATER_REVIEW_MONTHS)


def adoption_placed_review_due(placed_on: date, held: Sequence[date]) -> date:
    """Placed for adoption: first review within 4 weeks of placement, second 3 months later,
    then 6-monthly until an adoption order or the child is returned (AAR 36(3))."""
    since = [d for d in held if d >= placed_on]
    if not since:
        return add_weeks(placed_on, ADOPTION_PLACED_FIRST_WEEKS)
    if len(since) == 1:
        return add_months(since[0], SECOND_REVIEW_MONTHS)
    return add_months(since[-1], LATER_REVIEW_MONTHS)


@dataclass(frozen=True)
class NextReview:
    due: date
    sequence: str
    period_start: date


def next_review_due(
    *,
    period_start: date,
    held: Sequence[date],
    authority_from: date | None = None,
    placed_on: date | None = None,
) -> NextReview:
    """The next review of a child: the CLA cycle combined with any adoption review cycle.

    The child stays looked after while adoption reviews run, so both regimes apply; one combined
    review is held on the earliest due date (local practice, docs/rules.md section 1).
    """
    held = sorted(held)
    candidates = [cla_review_due(period_start, held)]
    if placed_on is not None:
        candidates.append(adoption_placed_review_due(placed_on, held))
    elif authority_from is not None:
        candidates.append(adoption_authority_review_due(authority_from, held))
    return NextReview(
        due=min(candidates), sequence=sequence_for(len(held)), period_start=period_start
    )


# --- periods of care from episodes --------------------------------------------------------------


def is_short_break(legal_status: str) -> bool:
    """Short breaks (V3/V4) are not looked after for 903 reviews: rule 399, no reviews at all."""
    return legal_status in SHORT_BREAK_LEGAL_STATUSES


@dataclass(frozen=True)
class PeriodForReviews:
    """The part of the latest period of care that CLA reviews run on."""

    start: date  # first episode of the period that is not a short break
    ended: bool  # the period closed with a reason other than X1
    authority_from: date | None
    placed_on: date | None
    end: date | None = None  # the day care ended, when it has


def review_missed_when_care_ends(due: date, care_ended_on: date) -> bool:
    """A review still not held when care ends was missed if it fell due while the child was
    looked after: due before the day care ended. One due on that day or later was never needed
    (the child was no longer looked after when it fell due)."""
    return due < care_ended_on


def latest_period(episodes: Iterable[EpisodeLike]) -> list[EpisodeLike]:
    """Episodes of the latest period of care (from the last RNE = S episode onwards)."""
    ordered = sorted(episodes, key=lambda e: e.start)
    start_index = None
    for index, episode in enumerate(ordered):
        if episode.reason_new_episode == "S":
            start_index = index
    if start_index is None:
        return ordered  # data without an S episode: treat them all as one period
    return ordered[start_index:]


def period_for_reviews(episodes: Iterable[EpisodeLike]) -> PeriodForReviews | None:
    """What the review cycle needs from a child's episodes, or None when no reviews are due.

    The cycle starts with the first episode of the latest period of care that is not a short
    break (a child moving from short breaks to full care starts the 20-working-day clock then).
    """
    period = latest_period(episodes)
    if not period:
        return None
    looked_after = [e for e in period if not is_short_break(e.legal_status)]
    if not looked_after:
        return None
    last = period[-1]
    ended = last.end is not None and last.reason_ceased != "X1"
    authority_from = next(
        (
            e.start
            for e in looked_after
            if e.legal_status in ADOPTION_AUTHORITY_LEGAL_STATUSES
            or e.placement_type in ADOPTION_PLACEMENT_TYPES
        ),
        None,
    )
    placed_on = None
    if last.placement_type in ADOPTION_PLACEMENT_TYPES:
        # The start of the current run of adoption placements.
        placed_on = last.start
        for episode in reversed(period[:-1]):
            if episode.placement_type not in ADOPTION_PLACEMENT_TYPES:
                break
            placed_on = episode.start
    elif last.legal_status not in ADOPTION_AUTHORITY_LEGAL_STATUSES:
        authority_from = None  # authority no longer held (for example the order was revoked)
    return PeriodForReviews(
        start=looked_after[0].start,
        ended=ended,
        authority_from=authority_from,
        placed_on=placed_on,
        end=last.end if ended else None,
    )


# --- timeliness, participation, milestones ------------------------------------------------------


def in_timescale(held_on: date, due: date) -> bool:
    """A review is in timescale when held on or before its due date."""
    return held_on <= due


def participation_must_be_pn0(date_of_birth: date, review_date: date) -> bool:
    """PN0 if and only if the child is under 4 on the review date (903 rules 440/441)."""
    return age_on(date_of_birth, review_date) < 4


def participation_error(code: str, date_of_birth: date | None, review_date: date) -> str | None:
    """Why `code` is not valid for a child born on `date_of_birth` at a review on `review_date`."""
    if date_of_birth is None:
        return None
    if participation_must_be_pn0(date_of_birth, review_date):
        if code != "PN0":
            return (
                "The child was under 4 on the review date, so the participation code must be PN0."
            )
    elif code == "PN0":
        return "PN0 is only for a child under 4 on the review date. Choose PN1 to PN7."
    return None


def manager_informed_deadline(held_on: date) -> date:
    return add_working_days(held_on, MANAGER_INFORMED_WORKING_DAYS)


def record_completed_deadline(held_on: date) -> date:
    return add_working_days(held_on, RECORD_COMPLETED_WORKING_DAYS)


def record_distributed_deadline(held_on: date) -> date:
    return add_working_days(held_on, RECORD_DISTRIBUTED_WORKING_DAYS)


MILESTONES = {
    "manager_informed_on": MANAGER_INFORMED_WORKING_DAYS,
    "record_completed_on": RECORD_COMPLETED_WORKING_DAYS,
    "record_distributed_on": RECORD_DISTRIBUTED_WORKING_DAYS,
}


def milestone_overdue(held_on: date, working_days: int, done_on: date | None, today: date) -> bool:
    """A milestone is overdue when it is not done and its deadline has passed, or was done late."""
    deadline = add_working_days(held_on, working_days)
    if done_on is None:
        return today > deadline
    return done_on > deadline


def latest_held_date_overdue(today: date, working_days: int) -> date:
    """The latest held date whose `working_days` deadline is already past on `today`.

    Lets a query select overdue records with one `held_on <= X` condition: the deadline grows with
    the held date, so every review held on or before X has a deadline before today.
    """
    candidate = today - timedelta(days=1)
    while add_working_days(candidate, working_days) >= today:
        candidate -= timedelta(days=1)
    return candidate


def latest_due_past_booking_target(today: date, lead_working_days: int) -> date:
    """The latest due date whose booking deadline (iro.rules.booking_deadline) is before today.

    A review due on or before this date and still not booked has missed the booking target; the
    deadline grows with the due date, so one `due_date <= X` condition selects them all.
    """
    candidate = add_working_days(today, lead_working_days)
    while booking_deadline(candidate, lead_working_days) >= today:
        candidate -= timedelta(days=1)
    return candidate


def sw_report_target(meeting_day: date) -> date:
    """The social worker's report should reach the IRO 3 working days before the meeting."""
    return add_working_days(meeting_day, -SW_REPORT_WORKING_DAYS_BEFORE)


def papers_ready(received: date | None, meeting_day: date) -> bool:
    """REV-17 "papers ready": the report was available at least PAPERS_FULL_WORKING_DAYS (3)
    *full* working days before the meeting.

    Reading (the definition of REV-17, from M24 section 13.4: "a set number of full working days before
    the meeting"; working days as docs/rules.md section 4, "Working days": weekends and England and Wales
    bank holidays excluded): a full working day is a whole working day strictly between the day
    the report arrived and the day of the meeting. Neither end counts: the service holds the date
    the report arrived, not the hour, so the day of arrival may not be a full day, and the
    meeting day is not preparation time. So a report for a Friday review is ready if it arrived
    on or before the Monday (Tuesday, Wednesday and Thursday are three full days), and not if it
    arrived on the Tuesday. In working-day arithmetic: working_days_between(received, meeting)
    >= 3 + 1. A review with no date for the report counts as not ready.
    """
    if received is None:
        return False
    return working_days_between(received, meeting_day) >= PAPERS_FULL_WORKING_DAYS + 1


def at_risk_of_timescale(
    *, meeting_day: date, due: date, report_received: bool, today: date
) -> bool:
    """A booked review is at risk of going out of timescale when it is set after its due date, or
    when the social worker's report is late and there are fewer than 3 working days left between
    the meeting and the due date to rearrange it."""
    if meeting_day > due:
        return True
    if not report_received and today > sw_report_target(meeting_day):
        return working_days_between(meeting_day, due) < SW_REPORT_WORKING_DAYS_BEFORE
    return False
