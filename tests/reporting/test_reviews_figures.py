"""Area 4 (REV) figures, worked by hand on a small crafted year (2024/25).

Reviews held in 2024/25 (R1-R6), one missed review in the year (M1), and records outside it:

| id | child (born) | sequence | due | held | PN | attended | mode / venue | plan / track | views | safeguarding | SW report |
| R1 | A (2015) | first | 10 May 24 | 10 May 24 (on the due date) | PN1 | yes | in person / home | - | yes | - | 7 May (2 full wd: not ready) |
| R2 | B (Jun 2021, aged 2) | first | 7 May 24 | 8 May 24 (late) | PN0 | - | virtual / virtual | - | yes | - | 3 May (1 full wd over the 6 May bank holiday: not ready) |
| R3 | C (2010) | second | 20 Aug 24 | 15 Aug 24 | PN6 | no, own choice | hybrid / school | LTF single | no | missing, gangs | - |
| R4 | C | subsequent | 15 Feb 25 | 10 Feb 25 | PN7 | no, unwell | in person / office | LTF twin | yes | missing | 4 Feb (3 full wd: ready) |
| R5 | D (Sep 2020, aged 3) | second | 20 Sep 24 | 14 Sep 24 | PN0 | - | in person / home | - | no | - | - |
| R6 | D (now 4) | subsequent | 15 Mar 25 | 10 Mar 25 | PN2 | yes | in person / home | adoption triple | yes | - | 6 Mar (1 full wd: not ready) |
| M1 | E (2012) | second | 3 Jun 24 | missed (left care) | | | | | | | |
"""

from datetime import date

import pytest

from reporting.figures import Period, get_figure
from reviews.models import IroContact, ReviewStatus
from tests.iro.factories import CareEpisodeFactory, ChildFactory
from tests.reporting.helpers import assert_rows_add_up
from tests.reviews.factories import ReviewFactory, held_review

pytestmark = pytest.mark.django_db
YEAR = Period.year(2024)


@pytest.fixture
def crafted(iro_allocated):
    chair = iro_allocated
    a = ChildFactory(date_of_birth=date(2015, 1, 1))
    b = ChildFactory(date_of_birth=date(2021, 6, 1))
    c = ChildFactory(date_of_birth=date(2010, 1, 1))
    d = ChildFactory(date_of_birth=date(2020, 9, 15))
    e = ChildFactory(date_of_birth=date(2012, 1, 1))
    f = ChildFactory(date_of_birth=date(2012, 1, 1))
    g = ChildFactory(date_of_birth=date(2012, 1, 1))
    for child in (a, b, c, d):
        CareEpisodeFactory(child=child, start=date(2024, 1, 1))
    CareEpisodeFactory(child=e, start=date(2024, 1, 1), end=date(2024, 7, 1), reason_ceased="E4A")
    CareEpisodeFactory(child=f, start=date(2023, 1, 1), end=date(2024, 3, 31), reason_ceased="E4A")
    CareEpisodeFactory(child=g, start=date(2024, 6, 1), legal_status="V3")  # short breaks only
    start = {"period_start": date(2024, 1, 1)}
    held_review(
        chair=chair, child=a, held_on=date(2024, 5, 10), due_date=date(2024, 5, 10),
        participation="PN1", child_attended=True, mode="in_person", actual_venue="home",
        childs_views_considered=True, child_seen_before=True,
        sw_report_received_on=date(2024, 5, 7), **start,
    )  # fmt: skip
    held_review(
        chair=chair, child=b, held_on=date(2024, 5, 8), due_date=date(2024, 5, 7),
        participation="PN0", mode="virtual", actual_venue="virtual",
        childs_views_considered=True, child_seen_before=False,
        sw_report_received_on=date(2024, 5, 3), **start,
    )  # fmt: skip
    IroContact.objects.create(child=b, iro=chair, contact_on=date(2024, 5, 1), kind="visit")
    held_review(
        chair=chair, child=c, held_on=date(2024, 8, 15), due_date=date(2024, 8, 20),
        sequence="second", participation="PN6", child_attended=False,
        non_attendance_reason="child_choice", mode="hybrid", actual_venue="school",
        permanence_plan_type="long_term_fostering", permanence_track="single",
        childs_views_considered=False, safeguarding_issue=True,
        safeguarding_types=["missing", "gangs"], **start,
    )  # fmt: skip
    IroContact.objects.create(child=c, iro=chair, contact_on=date(2024, 8, 10), kind="phone")
    held_review(
        chair=chair, child=c, held_on=date(2025, 2, 10), due_date=date(2025, 2, 15),
        sequence="subsequent", participation="PN7", child_attended=False,
        non_attendance_reason="unwell", mode="in_person", actual_venue="office",
        permanence_plan_type="long_term_fostering", permanence_track="twin",
        childs_views_considered=True, safeguarding_issue=True, safeguarding_types=["missing"],
        sw_report_received_on=date(2025, 2, 4), **start,
    )  # fmt: skip
    held_review(
        chair=chair, child=d, held_on=date(2024, 9, 14), due_date=date(2024, 9, 20),
        sequence="second", participation="PN0", mode="in_person", actual_venue="home",
        childs_views_considered=False, **start,
    )  # fmt: skip
    held_review(
        chair=chair, child=d, held_on=date(2025, 3, 10), due_date=date(2025, 3, 15),
        sequence="subsequent", participation="PN2", child_attended=True, mode="in_person",
        actual_venue="home", permanence_plan_type="adoption", permanence_track="triple",
        childs_views_considered=True, sw_report_received_on=date(2025, 3, 6), **start,
    )  # fmt: skip
    IroContact.objects.create(child=d, iro=chair, contact_on=date(2025, 1, 5), kind="visit")
    ReviewFactory(child=e, sequence="second", due_date=date(2024, 6, 3),
                  status=ReviewStatus.MISSED, **start)  # fmt: skip
    # Outside 2024/25: a review held and a review missed in 2023/24, and one booked, not held.
    held_review(chair=chair, child=f, held_on=date(2024, 3, 28), due_date=date(2024, 3, 30),
                period_start=date(2023, 1, 1))  # fmt: skip
    ReviewFactory(child=f, sequence="second", due_date=date(2024, 3, 20),
                  status=ReviewStatus.MISSED, period_start=date(2023, 1, 1))  # fmt: skip
    ReviewFactory(child=a, sequence="second", due_date=date(2024, 8, 10), **start)
    return {"a": a, "b": b, "c": c, "d": d}


def compute(figure_id, period=YEAR):
    result = get_figure(figure_id).compute(period)
    assert_rows_add_up(figure_id, period)
    return result


def test_rev_01_and_02_count_reviews_held_in_the_year_and_by_month(crafted):
    assert compute("REV-01").value == 6
    assert compute("REV-01", Period.year(2023)).value == 1
    result = compute("REV-02")
    assert result.value == 6
    assert list(result.months) == YEAR.month_keys
    assert {k: v for k, v in result.months.items() if v} == {
        "2024-05": 2, "2024-08": 1, "2024-09": 1, "2025-02": 1, "2025-03": 1,
    }  # fmt: skip
    assert result.table[0] == ["mean per month", 0.5]
    assert result.table[1] == ["highest (2024-05)", 2]


def test_rev_03_counts_a_review_on_its_due_date_on_time_and_a_missed_review_late(crafted):
    result = compute("REV-03")
    # R1 (held on its due date), R3, R4, R5, R6 on time; R2 held a day late; M1 missed.
    assert (result.numerator, result.denominator, result.value) == (5, 7, 71.4)
    assert result.breakdown == {
        "on time": 5, "held late": 1, "missed": 1, "could not be placed": 0,
    }  # fmt: skip
    assert result.months["2024-05"] == 50.0  # R1 on time, R2 late
    assert result.months["2024-06"] == 0.0  # M1, missed, due in June
    assert result.months["2024-07"] is None
    previous = compute("REV-03", Period.year(2023))
    assert (previous.numerator, previous.denominator) == (1, 2)


def test_rev_04_late_reviews_by_review_number(crafted):
    result = compute("REV-04")
    assert result.breakdown == {
        "first": 1, "second": 1, "subsequent": 0, "additional": 0, "could not be placed": 0,
    }  # fmt: skip
    assert (result.numerator, result.denominator, result.value) == (1, 2, 50.0)


def test_rev_05_participation_leaves_out_children_under_4_on_the_review_date(crafted):
    result = compute("REV-05")
    # D was 3 at R5 (PN0) and 4 at R6 (PN2).
    assert result.breakdown == {
        "PN0": 2, "PN1": 1, "PN2": 1, "PN3": 0, "PN4": 0, "PN5": 0, "PN6": 1, "PN7": 1,
    }  # fmt: skip
    assert (result.numerator, result.denominator, result.value) == (3, 4, 75.0)
    assert result.table[1][1:] == [3, 6, 50.0]  # the Middlesbrough basis, under-4s included


def test_rev_06_and_07_attendance_and_why_not(crafted):
    attended = compute("REV-06")
    assert (attended.numerator, attended.denominator, attended.value) == (2, 4, 50.0)
    why = compute("REV-07")
    assert why.breakdown["child_choice"] == 1 and why.breakdown["unwell"] == 1
    assert why.breakdown["not recorded"] == 0
    assert (why.numerator, why.denominator, why.value) == (1, 2, 50.0)


def test_rev_08_mode_and_venue(crafted):
    result = compute("REV-08")
    assert (result.numerator, result.denominator, result.value) == (4, 6, 66.7)
    assert result.breakdown == {
        "in_person": 4, "virtual": 1, "hybrid": 1, "venue:home": 3, "venue:school": 1,
        "venue:office": 1, "venue:virtual": 1, "venue:hybrid": 0,
    }  # fmt: skip


def test_rev_09_counts_contact_since_the_previous_review_only(crafted):
    # R1 recorded as seen; R2 visit on 1 May; R3 phone call on 10 Aug; R4's only contact was
    # that call, before the previous review (R3), so R4 does not count; R5 none; R6 visit in Jan.
    result = compute("REV-09")
    assert (result.numerator, result.denominator, result.value) == (4, 6, 66.7)


def test_rev_12_to_15_permanence_and_voice(crafted):
    plan = compute("REV-12")
    assert (plan.numerator, plan.denominator, plan.value) == (3, 6, 50.0)
    assert plan.months["2024-08"] == 100.0 and plan.months["2024-05"] == 0.0
    second = compute("REV-13")
    assert (second.numerator, second.denominator, second.value) == (1, 2, 50.0)
    track = compute("REV-14")
    assert track.breakdown == {"single": 1, "twin": 1, "triple": 1, "not known": 0}
    assert track.value == 33.3
    fostering = next(row for row in track.table if row[0] == "Long-term fostering")
    assert fostering == ["Long-term fostering", 1, 16.7, 1, 16.7]
    voice = compute("REV-15")
    assert (voice.numerator, voice.denominator, voice.value) == (4, 6, 66.7)


def test_rev_16_safeguarding_issues_by_review_type_and_child(crafted):
    result = compute("REV-16")
    assert (result.value, result.denominator) == (2, 6)
    assert result.breakdown["missing"] == 2 and result.breakdown["gangs"] == 1
    assert result.breakdown["neet"] == 0
    # One child (C) of the five looked after in the year (the short-break child is not).
    assert result.table[1] == ["children looked after in the year", 1, 5, 20.0]


def test_rev_17_papers_ready_counts_full_working_days_around_a_bank_holiday(crafted):
    # REV-17, 3 *full* working days between the report's arrival and the review.
    # R1 received Tue 7 May, review Fri 10 May: 2 full days (Wed, Thu): not ready. R2 received
    # Fri 3 May, review Wed 8 May: Mon 6 May is a bank holiday, 1 full day (Tue): not ready.
    # R4 received Tue 4 Feb, review Mon 10 Feb: 3 full days (Wed, Thu, Fri): ready. R6 received
    # Thu 6 Mar, review Mon 10 Mar: 1 full day. R3, R5 none.
    result = compute("REV-17")
    assert (result.numerator, result.denominator, result.value) == (1, 6, 16.7)


@pytest.mark.parametrize(
    ("received", "meeting", "ready"),
    [
        # REV-17 boundary days (reviews.rules.papers_ready). A Friday review, no holidays:
        (date(2025, 1, 6), date(2025, 1, 10), True),  # Mon: Tue, Wed, Thu are full days
        (date(2025, 1, 7), date(2025, 1, 10), False),  # Tue: only Wed and Thu
        (date(2025, 1, 3), date(2025, 1, 10), True),  # the Friday before
        (date(2025, 1, 10), date(2025, 1, 10), False),  # on the day
        # Over the weekend: a Tuesday review needs the report by the Wednesday before.
        (date(2025, 1, 8), date(2025, 1, 14), True),  # Thu, Fri, Mon
        (date(2025, 1, 9), date(2025, 1, 14), False),  # Fri, Mon only
        # Over the Easter bank holidays (Fri 18 and Mon 21 April 2025): a Thursday 24 April
        # review needs it by Wed 16 April (Thu 17, Tue 22, Wed 23).
        (date(2025, 4, 16), date(2025, 4, 24), True),
        (date(2025, 4, 17), date(2025, 4, 24), False),
        (None, date(2025, 4, 24), False),  # no date recorded
    ],
)
def test_rev_17_full_working_days_boundary(received, meeting, ready):
    from reviews.rules import papers_ready

    assert papers_ready(received, meeting) is ready
