"""Every statutory date rule of the service, on every trigger day from 2020-01-01 to 2035-12-31,
against an independent computation written here from the rules (docs/rules.md), not from the
service's helpers.

The rules, as the statute and guidance state them:

- Working days exclude Saturdays, Sundays and England's bank holidays (the `holidays` package,
  country GB, subdivision ENG, asked directly here); the day after the trigger is working day 1
  (the DfE CIN basis counts the trigger day itself as day 1 where it is a working day).
- "N months after" keeps the day number, clamped to the end of a shorter month.
- CLA reviews (Care Planning, Placement and Case Review (England) Regulations 2010, reg 33): the
  first within 20 working days of coming into care, the second within 3 months of the first, then
  every 6 months.
- Child protection (Working Together): ICPC within 15 working days of the strategy discussion;
  first review conference within 3 months of the ICPC, then every 6 months; first core group within
  10 working days of the ICPC.
- Booking: a meeting is booked by two weeks (10 working days) before its due date.
- Reminders (README, "Notifications and reminders"): the booking deadline 5 working days away or
  nearer, on the day, after it; the social worker's report 3 working days before a booked review;
  review record milestones 5 / 15 / 20 working days after the review, the team manager 5 working
  days later; an ICPC not booked 5 working days after the strategy discussion; a CP plan reaching
  15 months; an IRP stage response due on the next working day, and overdue after its deadline
  (5 working days after the stage started), the whole IRP within 20 working days.
- The reporting year runs from 1 April to 31 March.

The sweep is a loop over the ~5,800 days: the independent calendar is a sorted list of working
days, so "the Nth working day after D" is one index step.
"""

from bisect import bisect_left, bisect_right
from datetime import date, timedelta
from types import SimpleNamespace

import holidays
import pytest

from escalations import rules as escalation_rules
from iro import rules as calendar
from iro.notifications import booking as booking_reminders
from protection import reminders as protection_reminders
from protection import rules as protection_rules
from reporting.figures.base import Period
from reviews import rules as review_rules

FIRST_DAY = date(2020, 1, 1)
LAST_DAY = date(2035, 12, 31)
# Dates up to ~3 years either side of the sweep (15-month plans, lookbacks, 6-month reviews).
HORIZON_START = date(2016, 1, 1)
HORIZON_END = date(2039, 12, 31)


def every_day(start=FIRST_DAY, end=LAST_DAY):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


DAYS = list(every_day())

# --- the independent calendar -----------------------------------------------------------------

BANK_HOLIDAYS = frozenset(
    holidays.country_holidays(
        "GB", subdiv="ENG", years=range(HORIZON_START.year, HORIZON_END.year + 1)
    ).keys()
)
WORKING_DAYS = [
    d
    for d in every_day(HORIZON_START, HORIZON_END)
    if d.isoweekday() <= 5 and d not in BANK_HOLIDAYS
]


def nth_working_day_after(day: date, n: int) -> date:
    """Working day n counting the day after `day` as the first candidate."""
    return WORKING_DAYS[bisect_right(WORKING_DAYS, day) + n - 1]


def nth_working_day_before(day: date, n: int) -> date:
    """The nth working day counting back from the day before `day`."""
    return WORKING_DAYS[bisect_left(WORKING_DAYS, day) - n]


def nth_working_day_counting_the_day_itself(day: date, n: int) -> date:
    """DfE basis: `day` is working day 1 when it is a working day, else the next one is."""
    return WORKING_DAYS[bisect_left(WORKING_DAYS, day) + n - 1]


def working_days_in(after: date, up_to: date) -> int:
    """Working days d with after < d <= up_to."""
    return bisect_right(WORKING_DAYS, up_to) - bisect_right(WORKING_DAYS, after)


def months_after(day: date, months: int) -> date:
    total = day.year * 12 + (day.month - 1) + months
    year, month = total // 12, total % 12 + 1
    first_of_next = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, min(day.day, (first_of_next - timedelta(days=1)).day))


def reporting_year_of(day: date) -> tuple[date, date]:
    for start_year in (day.year - 1, day.year):
        start, end = date(start_year, 4, 1), date(start_year + 1, 3, 31)
        if start <= day <= end:
            return start, end
    raise AssertionError(day)


def test_the_independent_calendar_knows_the_hard_days():
    """The test's own calendar, checked by hand on the days that make the rules hard."""
    assert date(2026, 12, 28) in BANK_HOLIDAYS  # Boxing Day substitute (26th is a Saturday)
    assert {date(2027, 3, 26), date(2027, 3, 29)} <= BANK_HOLIDAYS  # Good Friday, Easter Monday
    assert date(2023, 5, 8) in BANK_HOLIDAYS  # the Coronation, a one-off
    assert nth_working_day_after(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert nth_working_day_after(date(2027, 3, 25), 1) == date(2027, 3, 30)
    assert nth_working_day_before(date(2027, 3, 30), 1) == date(2027, 3, 25)
    assert nth_working_day_counting_the_day_itself(date(2025, 4, 17), 15) == date(2025, 5, 12)
    assert months_after(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert months_after(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert months_after(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert working_days_in(date(2027, 3, 25), date(2027, 3, 30)) == 1
    assert reporting_year_of(date(2027, 3, 31)) == (date(2026, 4, 1), date(2027, 3, 31))
    assert reporting_year_of(date(2027, 4, 1)) == (date(2027, 4, 1), date(2028, 3, 31))


def disagreements(rule, expected, service):
    """Days on which `service(day)` differs from `expected(day)`, at most 5 of them shown."""
    wrong = [(d, expected(d), service(d)) for d in DAYS if expected(d) != service(d)]
    return [f"{rule}: {d} expected {e}, service gave {s}" for d, e, s in wrong[:5]] + (
        [f"... {len(wrong)} days in all"] if wrong else []
    )


# --- due dates ----------------------------------------------------------------------------------

DUE_DATE_RULES = [
    # CLA reviews (reg 33)
    ("first CLA review", lambda d: nth_working_day_after(d, 20), review_rules.first_review_due),
    ("second CLA review", lambda d: months_after(d, 3), review_rules.second_review_due),
    ("later CLA review", lambda d: months_after(d, 6), review_rules.later_review_due),
    ("next review, none held", lambda d: nth_working_day_after(d, 20), lambda d: review_rules.cla_review_due(d, [])),
    ("next review, one held", lambda d: months_after(d, 3), lambda d: review_rules.cla_review_due(d - timedelta(days=30), [d])),
    ("next review, two held", lambda d: months_after(d, 6), lambda d: review_rules.cla_review_due(d - timedelta(days=200), [d - timedelta(days=90), d])),
    ("next_review_due, none held", lambda d: nth_working_day_after(d, 20), lambda d: review_rules.next_review_due(period_start=d, held=[]).due),
    # Child protection (Working Together)
    ("ICPC", lambda d: nth_working_day_after(d, 15), protection_rules.icpc_due),
    ("ICPC, DfE basis", lambda d: nth_working_day_counting_the_day_itself(d, 15), protection_rules.icpc_due_dfe),
    ("first RCPC", lambda d: months_after(d, 3), protection_rules.first_rcpc_due),
    ("later RCPC", lambda d: months_after(d, 6), protection_rules.next_rcpc_due),
    ("first core group", lambda d: nth_working_day_after(d, 10), protection_rules.first_core_group_due),
    ("transfer-in conference", lambda d: nth_working_day_after(d, 15), protection_rules.transfer_in_due),
    # Booking: two weeks (10 working days) before the due date
    ("book by", lambda d: nth_working_day_before(d, 10), calendar.booking_deadline),
    ("book by (conference, trigger long before)", lambda d: nth_working_day_before(d, 10), lambda d: protection_rules.booking_target(d, d - timedelta(days=60))),
    ("book by (conference, short timescale)", lambda d: max(nth_working_day_before(d, 10), d - timedelta(days=5)), lambda d: protection_rules.booking_target(d, d - timedelta(days=5))),
    # Review record milestones
    ("manager informed", lambda d: nth_working_day_after(d, 5), review_rules.manager_informed_deadline),
    ("record completed", lambda d: nth_working_day_after(d, 15), review_rules.record_completed_deadline),
    ("record distributed", lambda d: nth_working_day_after(d, 20), review_rules.record_distributed_deadline),
    ("social worker's report", lambda d: nth_working_day_before(d, 3), review_rules.sw_report_target),
    # The IRP
    ("IRP stage response", lambda d: nth_working_day_after(d, 5), escalation_rules.stage_response_deadline),
    ("IRP whole process", lambda d: nth_working_day_after(d, 20), escalation_rules.process_deadline),
    # Reporting year
    ("reporting year start", lambda d: reporting_year_of(d)[0], calendar.financial_year_start),
    ("reporting year (figures)", reporting_year_of, lambda d: (Period.containing(d).start, Period.containing(d).end)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rule", "expected", "service"), DUE_DATE_RULES, ids=[r[0] for r in DUE_DATE_RULES]
)
def test_due_date_rule_on_every_day(rule, expected, service):
    assert not disagreements(rule, expected, service)


def test_working_days_between_on_every_day():
    """The count the service reports beside deadlines ("3 working days left") and uses for
    timeliness, from each day to 0-40 days later and earlier."""
    wrong = []
    for d in DAYS:
        for offset in (0, 1, 3, 7, 14, 25, 40):
            later = d + timedelta(days=offset)
            if calendar.working_days_between(d, later) != working_days_in(d, later):
                wrong.append((d, later))
            if calendar.working_days_between(later, d) != -working_days_in(d, later):
                wrong.append((later, d))
    assert not wrong[:5]


# --- reminder days ------------------------------------------------------------------------------


def first_day(condition, start: date) -> date:
    day = start
    while not condition(day):
        day += timedelta(days=1)
    return day


@pytest.mark.django_db
def test_booking_reminders_on_every_day(team_manager, iro_allocated):
    """For every day T of the sweep and every meeting due 8 to 29 days later,
    unbooked_reminders says "soon" when the deadline (10 working days before due) is 1-5 working
    days away, "deadline" on the day, "missed" after it; and the query window
    (latest_due_to_consider) keeps every due date that gets a "soon" or "deadline" reminder."""
    child = SimpleNamespace(pk=1, first_name="Jamie", last_name="Smith", la_child_id="C1")
    iro_id = iro_allocated.pk  # in the team that team_manager manages
    wrong = []
    seen = set()
    for today in DAYS:
        dues = [today + timedelta(days=k) for k in range(8, 30)]
        records = [
            booking_reminders.DueMeeting(
                object_type="reviews.review",
                object_id=i,
                label="CLA review",
                child=child,
                due=due,
                iro_id=iro_id,
                url="/",
            )
            for i, due in enumerate(dues)
        ]
        got = {
            r.object_id: r.kind
            for r in booking_reminders.unbooked_reminders("review", records, today, 10)
        }
        window = booking_reminders.latest_due_to_consider(today, 10)
        for i, due in enumerate(dues):
            deadline = nth_working_day_before(due, 10)
            if today < deadline:
                left = working_days_in(today, deadline)
                expected = "review_booking_soon" if left <= 5 else None
            elif today == deadline:
                expected = "review_booking_deadline"
            else:
                expected = "review_booking_missed"
            seen.add(expected)
            if got.get(i) != expected:
                wrong.append(f"{today} due {due}: expected {expected}, got {got.get(i)}")
            if expected in {"review_booking_soon", "review_booking_deadline"} and due > window:
                wrong.append(f"{today} due {due}: outside the query window (up to {window})")
    assert not wrong[:10], f"{len(wrong)} disagreements"
    assert seen == {None, *(f"review_booking_{k}" for k in ("soon", "deadline", "missed"))}


def test_the_first_booking_reminder_day_on_every_due_date():
    """The "book it soon" reminder first comes 5 working days before the deadline."""
    wrong = []
    for due in DAYS:
        deadline = nth_working_day_before(due, 10)
        expected_first = nth_working_day_before(deadline, 5)
        service_first = first_day(
            lambda t, due=due: (
                calendar.working_days_between(t, calendar.booking_deadline(due)) <= 5
            ),
            expected_first - timedelta(days=10),
        )
        if service_first != expected_first:
            wrong.append((due, expected_first, service_first))
    assert not wrong[:5]


def test_missed_booking_query_window_on_every_day():
    """latest_due_past_booking_target(T): the latest due date whose booking deadline is before T."""
    wrong = []
    for today in DAYS:
        expected = first_day(
            lambda d, today=today: nth_working_day_before(d, 10) >= today, today
        ) - timedelta(days=1)
        if review_rules.latest_due_past_booking_target(today, 10) != expected:
            wrong.append((today, expected))
    assert not wrong[:5]


@pytest.mark.parametrize("working_days", [5, 15, 20])
def test_record_milestone_reminder_days_on_every_day(working_days):
    """A milestone is overdue for the IRO from the day after its deadline (N working days after
    the review), for the team manager once 5 more working days have passed; the query bound
    latest_held_date_overdue(T, N) is the latest review date already overdue on T."""
    wrong = []
    for held in DAYS:
        deadline = nth_working_day_after(held, working_days)
        manager_from = nth_working_day_after(deadline, 5) + timedelta(days=1)
        for today in (deadline, deadline + timedelta(days=1)):
            overdue = review_rules.milestone_overdue(held, working_days, None, today)
            if overdue != (today > deadline):
                wrong.append(("IRO", held, today))
        for today in (manager_from - timedelta(days=1), manager_from):
            service_deadline = calendar.add_working_days(held, working_days)
            to_manager = today > calendar.add_working_days(service_deadline, 5)
            if to_manager != (today >= manager_from):
                wrong.append(("manager", held, today))
    for today in DAYS:
        expected = first_day(
            lambda h, today=today: nth_working_day_after(h, working_days) >= today,
            today - timedelta(days=60),
        ) - timedelta(days=1)
        if review_rules.latest_held_date_overdue(today, working_days) != expected:
            wrong.append(("bound", today, expected))
    assert not wrong[:5]


def test_social_workers_report_reminder_day_on_every_meeting_day():
    """Chased from 3 working days before the meeting until the meeting; the query window
    (meetings from T to 3 working days after T) holds every meeting chased on T."""
    wrong = []
    for meeting in DAYS:
        target = nth_working_day_before(meeting, 3)
        for today in every_day(meeting - timedelta(days=12), meeting):
            expected = today >= target
            in_window = today <= meeting <= calendar.add_working_days(today, 3)
            chased = in_window and not today < review_rules.sw_report_target(meeting)
            if chased != expected:
                wrong.append((meeting, today, expected))
    assert not wrong[:5]


def test_icpc_not_booked_reminder_day_on_every_day():
    wrong = []
    for held in DAYS:
        expected = nth_working_day_after(held, 5)
        first = first_day(
            lambda t, held=held: (
                not t
                < calendar.add_working_days(held, protection_reminders.ICPC_BOOKING_WORKING_DAYS)
            ),
            held + timedelta(days=1),
        )
        if first != expected:
            wrong.append((held, expected, first))
    assert not wrong[:5]


def test_cp_plan_15_months_window_on_every_day():
    """A plan started on S reaches 15 months on S + 15 months; the panel reminder is due from
    that day for a month, and the query's start-date window holds S on each of those days."""
    wrong = []
    for start in DAYS:
        reached = months_after(start, 15)
        if calendar.add_months(start, protection_rules.PANEL_MONTHS) != reached:
            wrong.append(("reached", start))
        for today in every_day(reached, reached + timedelta(days=31)):
            latest = calendar.add_months(today, -protection_rules.PANEL_MONTHS)
            earliest = calendar.add_months(
                today - timedelta(days=protection_reminders.PANEL_CATCH_UP_DAYS),
                -protection_rules.PANEL_MONTHS,
            )
            if not (earliest - timedelta(days=3) <= start <= latest + timedelta(days=3)):
                wrong.append(("window", start, today))
    assert not wrong[:5]


def test_irp_response_reminders_on_every_day():
    """ "Due on the next working day" is said on the working day before the deadline (and any
    weekend or holiday between); "overdue" from the day after it."""
    wrong = []
    for started in DAYS:
        deadline = nth_working_day_after(started, 5)
        expected_first = nth_working_day_before(deadline, 1)
        first = first_day(
            lambda t, deadline=deadline: t < deadline <= calendar.add_working_days(t, 1), started
        )
        if first != expected_first:
            wrong.append((started, expected_first, first))
        if escalation_rules.is_overdue(deadline, deadline) or not escalation_rules.is_overdue(
            deadline, deadline + timedelta(days=1)
        ):
            wrong.append(("overdue", started))
        if escalation_rules.working_days_left(deadline, started) != 5:
            wrong.append(("left", started))
    assert not wrong[:5]


@pytest.mark.django_db
def test_working_days_in_sql_on_every_day():
    """The figures count working days in SQL (reporting.figures.workdays): each day's working-day
    number goes up by one exactly on the working days of the independent calendar."""
    from django.db import connection
    from django.db.models.expressions import RawSQL
    from django.db.models.sql import Query

    from reporting.figures.workdays import WorkingDayNumber

    compiler = Query(None).get_compiler(connection=connection)
    number_sql, params = WorkingDayNumber(RawSQL("d", ())).as_sql(compiler, connection)
    start = FIRST_DAY - timedelta(days=1)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d::date, {number_sql} FROM generate_series(%s::date, %s::date, "
            "interval '1 day') AS d ORDER BY d",
            [*params, start, LAST_DAY],
        )
        rows = cursor.fetchall()
    assert len(rows) == len(DAYS) + 1
    wrong = [
        (day, number - previous)
        for (_, previous), (day, number) in zip(rows, rows[1:], strict=False)
        if number - previous != working_days_in(day - timedelta(days=1), day)
    ]
    assert not wrong[:5]
