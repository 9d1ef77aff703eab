"""Child protection timescales (docs/rules.md section 2). Pure functions: dates in, dates out.

Working days follow the service convention (iro.rules.BASIS): the day after the trigger is
working day 1. The DfE basis for ICPC timeliness counts from the s47 start date and treats that
day itself as day 1 (the CIN validator's `england_working_days`); `icpc_due_dfe` gives that date
so both can be reported, each labelled with its basis.
"""

from calendar import monthrange
from datetime import date, timedelta

from iro.rules import add_months, add_working_days, booking_deadline

ICPC_WORKING_DAYS = 15
FIRST_RCPC_MONTHS = 3
LATER_RCPC_MONTHS = 6
FIRST_CORE_GROUP_WORKING_DAYS = 10
# Local practice only (no national rule): a transfer-in conference within 15 working days of the
# receiving authority being notified of the case.
TRANSFER_IN_WORKING_DAYS = 15
PANEL_MONTHS = 15
LONG_PLAN_MONTHS = 24
REPEAT_PLAN_WINDOW_MONTHS = 24

ICPC_BASIS_SERVICE = (
    "Working Together: 15 working days after the strategy discussion at which section 47 "
    "enquiries started (the day after it is working day 1)."
)
ICPC_BASIS_DFE = (
    "DfE (CIN census): 15 working days counted from the section 47 start date, that date being "
    "working day 1."
)


def icpc_due(strategy_discussion_on: date) -> date:
    """ICPC due date: 15 working days after the strategy discussion that started s47 enquiries."""
    return add_working_days(strategy_discussion_on, ICPC_WORKING_DAYS)


def icpc_due_dfe(s47_started_on: date) -> date:
    """ICPC due date on the DfE basis: the s47 start date is working day 1 (17 Apr 2025 -> 12 May 2025).

    When the start is not a working day, the next working day is day 1.
    """
    return add_working_days(s47_started_on - timedelta(days=1), ICPC_WORKING_DAYS)


def transfer_in_due(notified_on: date) -> date:
    """Transfer-in conference due date: 15 working days after notification (local practice)."""
    return add_working_days(notified_on, TRANSFER_IN_WORKING_DAYS)


def first_rcpc_due(icpc_on: date) -> date:
    """First review conference: within 3 months of the ICPC (same day number, clamped)."""
    return add_months(icpc_on, FIRST_RCPC_MONTHS)


def next_rcpc_due(previous_rcpc_held_on: date) -> date:
    """Later review conferences: within 6 months of the previous review conference held."""
    return add_months(previous_rcpc_held_on, LATER_RCPC_MONTHS)


def first_core_group_due(icpc_on: date) -> date:
    """First core group meeting: within 10 working days of the ICPC."""
    return add_working_days(icpc_on, FIRST_CORE_GROUP_WORKING_DAYS)


def booking_target(due: date, earliest: date) -> date:
    """Date by which to book a conference due on `due`: 10 working days ahead where it can be.

    When the timescale is too short for that (the trigger `earliest` falls after the usual
    deadline), the target is the trigger date itself: book straight away.
    """
    return max(booking_deadline(due), earliest)


def in_timescale(held_on: date, due: date) -> bool:
    """A conference is in timescale when held on or before its due date."""
    return held_on <= due


def months_between(start: date, on: date) -> int:
    """Whole months from `start` to `on`: the largest m with add_months(start, m) <= on.

    With month-end clamping, 31 August to 28 February is 6 months. Negative never: 0 before start.
    """
    if on < start:
        return 0
    months = (on.year - start.year) * 12 + (on.month - start.month)
    last_day = monthrange(on.year, on.month)[1]
    if on.day < min(start.day, last_day):
        months -= 1
    return max(months, 0)


def is_on_plan(start: date, end: date | None, on: date) -> bool:
    """A plan covers day D when it started on or before D and had not ended by D."""
    return start <= on and (end is None or end > on)


def plans_overlap(
    first_start: date, first_end: date | None, second_start: date, second_end: date | None
) -> bool:
    """Two plans overlap when some day is covered by both (a plan ending on D does not cover D)."""
    first_ends_after = first_end is None or first_end > second_start
    second_ends_after = second_end is None or second_end > first_start
    return first_ends_after and second_ends_after


def repeat_within_window(previous_end: date, new_start: date) -> bool:
    """A new plan is a repeat 'within 2 years' when the previous plan ended 24 months or less before."""
    return (
        previous_end <= new_start
        and add_months(previous_end, REPEAT_PLAN_WINDOW_MONTHS) >= new_start
    )


def duration_band(start: date, end: date) -> str:
    """DfE table D7 band of a plan's length: <=3 months, 3-6, 6-12, 1-2 years, 2 years or more."""
    months = months_between(start, end)
    exact = add_months(start, months) == end
    if months < 3 or (months == 3 and exact):
        return "3 months or less"
    if months < 6 or (months == 6 and exact):
        return "More than 3 months to 6 months"
    if months < 12:
        return "More than 6 months to under 1 year"
    if months < 24:
        return "1 year to under 2 years"
    return "2 years or more"
