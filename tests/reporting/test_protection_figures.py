"""Area 8 (CP) figures, worked by hand on a small crafted year (2024/25).

Initial conferences held in 2024/25 (strategy discussion = s47 start):
| child | discussion | ICPC held | working days | outcome | parents invited / attended | child's views |
| P (2014, M, disabled) | Mon 22 Apr 24 | Tue 14 May 24 | 15 (6 May bank holiday); DfE basis 16 | plan NEG | yes / yes | professional |
| Q (2018, F) | Mon 3 Jun 24 | Mon 1 Jul 24 | 20, late: key information late | CIN | yes / no | written |
| S (2009, M, APKN) + W (2011, F, APKN), one meeting | Mon 2 Sep 24 | Mon 16 Sep 24 | 10 | plan EMO | yes / yes | S attended; W not shared |
| R (unborn) | Mon 6 Jan 25 | Mon 20 Jan 25 | 10 | plan NEG | yes / yes | too young |
| T (born Oct 24) | Mon 3 Mar 25 | Mon 31 Mar 25 | 20, late: no reason | NFA | - | too young |
Transfer-in: U (2012, M), held 20 May 24, plan PHY, parents not invited.
Review conferences: Z (due 15 May, held 10 May: on time), L (due 28 Jun, held 1 Jul: late),
P (due 14 Aug, held on the due date: on time).
"""

from datetime import date

import pytest

from iro.models import Meeting, MeetingKind
from protection.models import Conference, CoreGroupMeeting, ProtectionPlan, StrategyDiscussion
from reporting.figures import Period, get_figure
from reporting.models import Population
from tests.iro.factories import ChildFactory, MeetingFactory
from tests.protection.factories import ProtectionPlanFactory, at
from tests.reporting.helpers import assert_rows_add_up

pytestmark = pytest.mark.django_db
YEAR = Period.year(2024)


def held(children, kind, on, due, chair, discussion_on=None, **fields):
    meeting = MeetingFactory(
        kind=kind, chair=chair, starts_at=at(on), children=list(children), status="held"
    )
    out = []
    for child in children:
        extra = dict(fields)
        if discussion_on:
            extra["strategy_discussion"] = StrategyDiscussion.objects.create(
                child=child, held_on=discussion_on, s47_started=True, s47_started_on=discussion_on
            )
        if kind == "transfer_in":
            extra["notified_on"] = date(2024, 5, 10)
        out.append(
            Conference.objects.create(
                kind=kind,
                child=child,
                meeting=meeting,
                due=due,
                status="held",
                held_on=on,
                **extra,
            )
        )
    return out


@pytest.fixture
def crafted(iro_allocated):
    chair = iro_allocated
    Population.objects.create(year=2024, children_0_17=35_000)
    child = {
        "P": ChildFactory(date_of_birth=date(2014, 1, 1), sex="M", disability=True),
        "Q": ChildFactory(date_of_birth=date(2018, 1, 1), sex="F"),
        "S": ChildFactory(date_of_birth=date(2009, 1, 1), sex="M", ethnicity="APKN"),
        "W": ChildFactory(date_of_birth=date(2011, 1, 1), sex="F", ethnicity="APKN"),
        "R": ChildFactory(date_of_birth=None, expected_date_of_birth=date(2025, 6, 1), sex="U"),
        "T": ChildFactory(date_of_birth=date(2024, 10, 1), sex="F"),
        "U": ChildFactory(date_of_birth=date(2012, 1, 1), sex="M"),
        "Z": ChildFactory(date_of_birth=date(2023, 6, 1), sex="M"),
        "L": ChildFactory(date_of_birth=date(2010, 1, 1), sex="F"),
        "X": ChildFactory(date_of_birth=date(2016, 1, 1), sex="F"),
        "Y": ChildFactory(date_of_birth=date(2017, 1, 1), sex="M"),
    }
    c = child
    icpc = MeetingKind.ICPC
    held([c["P"]], icpc, date(2024, 5, 14), date(2024, 5, 14), chair, date(2024, 4, 22),
         outcome="cp_plan", category="NEG", parents_invited=True, parents_attended=True,
         child_views="professional")  # fmt: skip
    held([c["Q"]], icpc, date(2024, 7, 1), date(2024, 6, 24), chair, date(2024, 6, 3),
         outcome="cin_plan", parents_invited=True, parents_attended=False,
         child_views="written", delay_reason="late_information")  # fmt: skip
    s, w = held([c["S"], c["W"]], icpc, date(2024, 9, 16), date(2024, 9, 23), chair,
                date(2024, 9, 2), outcome="cp_plan", category="EMO", parents_invited=True,
                parents_attended=True)  # fmt: skip
    s.child_attended, s.child_views = True, "spoke"
    s.save()
    w.child_views = "not_shared"
    w.save()
    held([c["R"]], icpc, date(2025, 1, 20), date(2025, 1, 27), chair, date(2025, 1, 6),
         outcome="cp_plan", category="NEG", parents_invited=True, parents_attended=True,
         child_views="too_young")  # fmt: skip
    held([c["T"]], icpc, date(2025, 3, 31), date(2025, 3, 24), chair, date(2025, 3, 3),
         outcome="nfa", child_views="too_young")  # fmt: skip
    held([c["U"]], "transfer_in", date(2024, 5, 20), date(2024, 5, 31), chair,
         outcome="cp_plan", category="PHY", parents_invited=False)  # fmt: skip
    # An ICPC of the year before: not counted.
    held([ChildFactory()], icpc, date(2024, 3, 20), date(2024, 3, 22), chair, date(2024, 3, 1),
         outcome="nfa")  # fmt: skip

    plan = {
        "P": ProtectionPlanFactory(child=c["P"], start=date(2024, 5, 14), chair=chair),
        "S": ProtectionPlanFactory(child=c["S"], start=date(2024, 9, 16), chair=chair,
                                   initial_category="EMO", previous_plans=1),
        "W": ProtectionPlanFactory(child=c["W"], start=date(2024, 9, 16), chair=chair,
                                   initial_category="EMO"),
        "R": ProtectionPlanFactory(child=c["R"], start=date(2025, 1, 20), chair=chair),
        "U": ProtectionPlanFactory(child=c["U"], start=date(2024, 5, 20), chair=chair,
                                   initial_category="PHY", previous_plans=2),
        "Z": ProtectionPlanFactory(child=c["Z"], start=date(2023, 11, 15), chair=chair),
        "L": ProtectionPlanFactory(child=c["L"], start=date(2022, 12, 31), chair=chair,
                                   initial_category="SAB"),
    }  # fmt: skip
    ProtectionPlanFactory(child=c["S"], start=date(2021, 6, 1), end=date(2023, 1, 10), chair=chair)
    ProtectionPlanFactory(child=c["U"], start=date(2018, 1, 1), end=date(2019, 1, 1), chair=chair)
    ProtectionPlanFactory(child=c["X"], start=date(2022, 4, 1), end=date(2024, 6, 10), chair=chair)
    ProtectionPlanFactory(child=c["Y"], start=date(2023, 9, 1), end=date(2025, 3, 31), chair=chair)
    # P's first core group is due Wed 29 May 2024 (10 working days; Mon 27 May is a bank
    # holiday): held that day, in time. S's is late; R's in time; W and U have none.
    assert plan["P"].first_core_group_due == date(2024, 5, 29)
    CoreGroupMeeting.objects.create(plan=plan["P"], held_on=date(2024, 5, 29))
    CoreGroupMeeting.objects.create(plan=plan["S"], held_on=date(2024, 10, 15))
    CoreGroupMeeting.objects.create(plan=plan["R"], held_on=date(2025, 1, 27))
    rcpc = MeetingKind.RCPC
    held([c["Z"]], rcpc, date(2024, 5, 10), date(2024, 5, 15), chair, plan=plan["Z"],
         outcome="cp_plan", parents_invited=True, parents_attended=False,
         child_views="too_young")  # fmt: skip
    held([c["L"]], rcpc, date(2024, 7, 1), date(2024, 6, 28), chair, plan=plan["L"],
         outcome="cp_plan", parents_invited=True, parents_attended=True, child_views="advocate")  # fmt: skip
    held([c["P"]], rcpc, date(2024, 8, 14), date(2024, 8, 14), chair, plan=plan["P"],
         outcome="cp_plan")  # fmt: skip
    return child


def compute(figure_id, period=YEAR):
    result = get_figure(figure_id).compute(period)
    assert_rows_add_up(figure_id, period)
    return result


def test_cp_01_and_02_initial_conferences_and_what_they_decided(crafted):
    result = compute("CP-01")
    assert result.value == 6 and result.breakdown == {"ICPC": 6, "transfer-in": 1}
    assert result.table == [["initial (ICPC)", 6, 6, 5], ["transfer-in", 1, 1, 1]]
    outcomes = compute("CP-02")
    assert outcomes.breakdown == {"cp_plan": 4, "cin_plan": 1, "nfa": 1}
    assert (outcomes.numerator, outcomes.denominator, outcomes.value) == (4, 6, 66.7)


def test_cp_03_counts_working_days_from_the_discussion_around_a_bank_holiday(crafted):
    result = compute("CP-03")
    # P in time only because 6 May is a bank holiday; Q and T late.
    assert (result.numerator, result.denominator, result.value) == (4, 6, 66.7)
    assert result.months["2024-05"] == 100.0 and result.months["2024-07"] == 0.0
    # DfE basis: the s47 start is day 1, so P's ICPC is day 16.
    assert result.table[1][1:] == [3, 6, 50.0]


def test_cp_04_late_initial_conferences_by_reason(crafted):
    result = compute("CP-04")
    assert result.value == 2
    assert result.breakdown["late_information"] == 1 and result.breakdown["not recorded"] == 1


def test_cp_05_and_06_review_conferences_a_review_on_its_due_date_is_on_time(crafted):
    assert compute("CP-05").value == 3
    assert compute("CP-05").table == [[3, 3, 3]]
    result = compute("CP-06")
    assert (result.numerator, result.denominator, result.value) == (2, 3, 66.7)


def test_cp_07_to_12_children_on_plans_on_31_march(crafted):
    # Open at the end of 31 March 2025: P, S, W, R, U, Z, L (Y's plan ended that day).
    on = compute("CP-07")
    assert on.value == 7 and on.breakdown == {"rate per 10,000": 2.0}
    moves = compute("CP-08")
    assert moves.breakdown == {"started": 5, "ended": 2} and moves.table == [[5, 2, 3]]
    sex = compute("CP-09")
    assert sex.breakdown == {"M": 4, "F": 2, "U": 1} and sex.value == 57.1
    ethnicity = compute("CP-10")
    assert ethnicity.value == 7
    assert ethnicity.breakdown["WBRI"] == 5 and ethnicity.breakdown["APKN"] == 2
    age = compute("CP-11")
    assert age.breakdown == {
        "unborn": 1, "under 1": 0, "1-4": 1, "5-9": 0, "10-15": 4, "16+": 1,
    }  # fmt: skip
    category = compute("CP-12")
    assert category.breakdown == {"NEG": 3, "PHY": 1, "SAB": 1, "EMO": 2, "MUL": 0}
    assert category.value == 42.9


def test_cp_13_to_16_duration_long_plans_and_repeat_plans(crafted):
    durations = compute("CP-13")
    assert durations.breakdown == {
        "under 6 months": 1, "6-12 months": 4, "12-15 months": 0, "15-18 months": 1,
        "18-24 months": 0, "24 months or more": 1,
    }  # fmt: skip
    panel = compute("CP-14")
    assert panel.value == 2
    assert panel.breakdown == {"15+": 2, "16+": 2, "18+": 1, "24+": 1}
    assert [row[4] for row in panel.table] == [27, 16]
    two_years = compute("CP-15")
    assert (two_years.numerator, two_years.denominator, two_years.value) == (1, 2, 50.0)
    assert two_years.table[1][1:] == [1, 7, 14.3]
    repeat = compute("CP-16")
    assert (repeat.numerator, repeat.denominator, repeat.value) == (2, 5, 40.0)
    assert repeat.table[1][1:] == [1, 5, 20.0]  # only S's earlier plan ended within 24 months


def test_cp_18_20_21_22_parents_disability_core_groups_and_the_childs_views(crafted):
    parents = compute("CP-18")
    assert (parents.numerator, parents.denominator, parents.value) == (5, 7, 71.4)
    assert parents.table == [
        ["initial and transfer-in", 4, 5, 80.0],
        ["review", 1, 2, 50.0],
    ]
    assert compute("CP-20").value == 1
    core = compute("CP-21")
    assert (core.numerator, core.denominator, core.value) == (2, 5, 40.0)
    views = compute("CP-22")
    # Of P, Q, S, W, U, L (review) and P (review): S attended; P, Q and L's views came.
    assert (views.numerator, views.denominator, views.value) == (4, 7, 57.1)
    assert Meeting.objects.count() == 10


def test_cp_01_and_cp_05_count_children_and_name_the_conferences_beside_them(
    crafted, iro_allocated
):
    """CP-01 and CP-05 are labelled in children: a child at two conferences of a kind in the
    year counts once in the value, and twice in the named "conferences" column."""
    c = crafted
    # A second ICPC for Q (the first ended with a CIN plan); L reviewed again in December.
    held([c["Q"]], MeetingKind.ICPC, date(2025, 2, 3), date(2025, 2, 3), iro_allocated,
         discussion_on=date(2025, 1, 20), outcome="cin_plan")  # fmt: skip
    held([c["L"]], MeetingKind.RCPC, date(2024, 12, 20), date(2024, 12, 28), iro_allocated,
         outcome="cp_plan", plan=ProtectionPlan.objects.get(child=c["L"]))  # fmt: skip
    initial = compute("CP-01")
    assert initial.value == 6 and initial.breakdown["ICPC"] == 6
    assert initial.table[0] == ["initial (ICPC)", 6, 7, 6]
    review = compute("CP-05")
    assert review.value == 3 and review.table == [[3, 4, 4]]
