"""Child protection timescales, from worked examples across bank holidays and month ends."""

from datetime import date

import pytest

from protection import rules


@pytest.mark.parametrize(
    ("discussion", "due"),
    [
        # Easter 2025 (Good Friday 18, Easter Monday 21 April) and early May bank holiday (5 May).
        (date(2025, 4, 10), date(2025, 5, 6)),
        (date(2025, 4, 17), date(2025, 5, 13)),
        # Christmas 2024: 25 and 26 December, 1 January.
        (date(2024, 12, 13), date(2025, 1, 8)),
        # Early May 2023: 1 May and the coronation bank holiday on 8 May.
        (date(2023, 4, 25), date(2023, 5, 18)),
        # A plain fortnight and a day: no holidays.
        (date(2025, 6, 2), date(2025, 6, 23)),
    ],
)
def test_icpc_is_due_15_working_days_after_the_strategy_discussion(discussion, due):
    assert rules.icpc_due(discussion) == due


def test_dfe_basis_counts_the_s47_start_as_day_one():
    # The CIN validator's own worked example: 17 Apr 2025 + 15 working days = 12 May 2025.
    assert rules.icpc_due_dfe(date(2025, 4, 17)) == date(2025, 5, 12)
    # One working day earlier than the service basis from the same date.
    assert rules.icpc_due(date(2025, 4, 17)) == date(2025, 5, 13)


def test_dfe_basis_from_a_weekend_start_counts_the_next_working_day_as_day_one():
    # Saturday 19 April 2025: Monday 21 is Easter Monday, so Tuesday 22 is day 1.
    assert rules.icpc_due_dfe(date(2025, 4, 19)) == date(2025, 5, 13)


@pytest.mark.parametrize(
    ("icpc", "due"),
    [
        (date(2024, 1, 15), date(2024, 4, 15)),
        (date(2023, 11, 30), date(2024, 2, 29)),  # leap year month end
        (date(2024, 11, 30), date(2025, 2, 28)),
        (date(2024, 5, 31), date(2024, 8, 31)),
        (date(2024, 12, 31), date(2025, 3, 31)),
    ],
)
def test_first_review_conference_is_due_3_months_after_the_icpc(icpc, due):
    assert rules.first_rcpc_due(icpc) == due


@pytest.mark.parametrize(
    ("held", "due"),
    [
        (date(2024, 8, 31), date(2025, 2, 28)),
        (date(2024, 2, 29), date(2024, 8, 29)),
        (date(2023, 9, 30), date(2024, 3, 30)),
        (date(2024, 10, 31), date(2025, 4, 30)),
    ],
)
def test_later_review_conferences_are_due_6_months_after_the_previous_one_held(held, due):
    assert rules.next_rcpc_due(held) == due


@pytest.mark.parametrize(
    ("icpc", "due"),
    [
        (date(2023, 4, 20), date(2023, 5, 5)),  # over 1 May 2023
        (date(2023, 4, 27), date(2023, 5, 15)),  # over 1 and 8 May 2023
        (date(2025, 4, 14), date(2025, 4, 30)),  # over Easter 2025
        (date(2024, 12, 20), date(2025, 1, 8)),  # over Christmas and New Year
    ],
)
def test_first_core_group_is_due_10_working_days_after_the_icpc(icpc, due):
    assert rules.first_core_group_due(icpc) == due


def test_transfer_in_conference_is_due_15_working_days_after_notification():
    # Christmas 2025: Thursday 25, Friday 26 December and Thursday 1 January 2026.
    assert rules.transfer_in_due(date(2025, 12, 22)) == date(2026, 1, 15)


def test_booking_target_is_10_working_days_before_the_due_date():
    # ICPC due 6 May 2025: counting back skips the 5 May bank holiday and Easter (21, 18 April).
    assert rules.booking_target(date(2025, 5, 6), earliest=date(2025, 4, 10)) == date(2025, 4, 17)


def test_booking_target_is_the_trigger_when_the_timescale_is_too_short():
    assert rules.booking_target(date(2025, 5, 6), earliest=date(2025, 4, 25)) == date(2025, 4, 25)


def test_a_conference_on_its_due_date_is_in_timescale_and_the_day_after_is_not():
    assert rules.in_timescale(date(2025, 5, 6), date(2025, 5, 6))
    assert not rules.in_timescale(date(2025, 5, 7), date(2025, 5, 6))


@pytest.mark.parametrize(
    ("start", "on", "months"),
    [
        (date(2024, 1, 15), date(2025, 4, 14), 14),
        (date(2024, 1, 15), date(2025, 4, 15), 15),
        (date(2024, 8, 31), date(2025, 2, 27), 5),
        (date(2024, 8, 31), date(2025, 2, 28), 6),  # clamped to the shorter month
        (date(2024, 2, 29), date(2025, 2, 28), 12),
        (date(2024, 3, 1), date(2024, 2, 29), 0),  # before the start
        (date(2023, 3, 31), date(2025, 3, 30), 23),
        (date(2023, 3, 31), date(2025, 3, 31), 24),
    ],
)
def test_months_between_agrees_with_add_months(start, on, months):
    assert rules.months_between(start, on) == months


def test_a_plan_ending_on_a_day_does_not_cover_that_day():
    assert rules.is_on_plan(date(2025, 1, 6), date(2025, 3, 3), date(2025, 3, 2))
    assert not rules.is_on_plan(date(2025, 1, 6), date(2025, 3, 3), date(2025, 3, 3))
    assert rules.is_on_plan(date(2025, 1, 6), None, date(2030, 1, 1))


def test_plans_overlap_unless_one_ends_on_or_before_the_other_starts():
    assert not rules.plans_overlap(date(2024, 1, 1), date(2024, 6, 1), date(2024, 6, 1), None)
    assert rules.plans_overlap(date(2024, 1, 1), date(2024, 6, 2), date(2024, 6, 1), None)
    assert rules.plans_overlap(date(2024, 1, 1), None, date(2025, 6, 1), None)
    assert not rules.plans_overlap(date(2025, 1, 1), None, date(2024, 1, 1), date(2024, 12, 31))


def test_a_repeat_plan_within_two_years_is_counted_up_to_24_months_exactly():
    assert rules.repeat_within_window(date(2023, 3, 31), date(2025, 3, 31))
    assert not rules.repeat_within_window(date(2023, 3, 31), date(2025, 4, 1))


@pytest.mark.parametrize(
    ("start", "end", "band"),
    [
        (date(2024, 1, 15), date(2024, 4, 15), "3 months or less"),
        (date(2024, 1, 15), date(2024, 4, 16), "More than 3 months to 6 months"),
        (date(2024, 1, 15), date(2024, 7, 16), "More than 6 months to under 1 year"),
        (date(2024, 1, 15), date(2025, 1, 15), "1 year to under 2 years"),
        (date(2024, 1, 15), date(2026, 1, 15), "2 years or more"),
    ],
)
def test_plan_durations_fall_into_the_dfe_bands(start, end, band):
    assert rules.duration_band(start, end) == band
