"""Due-date and timeliness rules, from worked examples across bank holidays and month ends."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from reviews import rules


def ep(start, ls="C2", place="U6", rne="S", end=None, rec=""):
    return SimpleNamespace(
        start=start,
        end=end,
        reason_new_episode=rne,
        reason_ceased=rec,
        legal_status=ls,
        placement_type=place,
    )


class TestFirstReview:
    def test_entering_care_before_the_coronation_holidays_is_due_on_31_may_2023(self):
        # 28 Apr 2023 (Fri). Bank holidays follow on 1 May, 8 May (coronation) and 29 May.
        assert rules.first_review_due(date(2023, 4, 28)) == date(2023, 5, 31)

    def test_twenty_working_days_skip_christmas_and_new_year(self):
        # 15 Dec 2023: 25, 26 Dec and 1 Jan are holidays.
        assert rules.first_review_due(date(2023, 12, 15)) == date(2024, 1, 17)

    def test_twenty_working_days_without_holidays_is_four_weeks(self):
        assert rules.first_review_due(date(2024, 2, 5)) == date(2024, 3, 4)


class TestLaterReviews:
    def test_second_review_is_three_months_after_the_first_was_held(self):
        assert rules.second_review_due(date(2023, 5, 30)) == date(2023, 8, 30)

    def test_second_review_clamps_to_the_end_of_a_shorter_month(self):
        assert rules.second_review_due(date(2023, 11, 30)) == date(2024, 2, 29)

    def test_six_months_after_31_august_is_the_end_of_february(self):
        assert rules.later_review_due(date(2023, 8, 31)) == date(2024, 2, 29)
        assert rules.later_review_due(date(2024, 8, 31)) == date(2025, 2, 28)

    def test_cycle_counts_from_the_date_each_review_was_actually_held(self):
        start = date(2023, 4, 28)
        assert rules.cla_review_due(start, []) == date(2023, 5, 31)
        # First held early on 25 May: second due 3 months from then, not from the due date.
        assert rules.cla_review_due(start, [date(2023, 5, 25)]) == date(2023, 8, 25)
        # Second held late on 1 Sep: third due 6 months from 1 Sep.
        assert rules.cla_review_due(start, [date(2023, 5, 25), date(2023, 9, 1)]) == date(
            2024, 3, 1
        )

    @pytest.mark.parametrize(("held", "sequence"), [(0, "first"), (1, "second"), (5, "subsequent")])
    def test_sequence_follows_the_number_held(self, held, sequence):
        assert rules.sequence_for(held) == sequence


class TestAdoptionReviews:
    def test_authority_to_place_not_placed_is_reviewed_3_months_after_authority(self):
        assert rules.adoption_authority_review_due(date(2024, 1, 31), []) == date(2024, 4, 30)
        assert rules.adoption_authority_review_due(date(2024, 1, 31), [date(2024, 4, 20)]) == date(
            2024, 10, 20
        )

    def test_placed_for_adoption_first_within_4_weeks_then_3_then_6_months(self):
        placed = date(2024, 3, 1)
        assert rules.adoption_placed_review_due(placed, []) == date(2024, 3, 29)
        assert rules.adoption_placed_review_due(placed, [date(2024, 3, 28)]) == date(2024, 6, 28)
        assert rules.adoption_placed_review_due(
            placed, [date(2024, 3, 28), date(2024, 6, 27)]
        ) == date(2024, 12, 27)

    def test_reviews_held_before_placement_do_not_count_towards_the_adoption_cycle(self):
        assert rules.adoption_placed_review_due(date(2024, 3, 1), [date(2024, 2, 1)]) == date(
            2024, 3, 29
        )

    def test_combined_cycle_takes_the_earliest_due_date(self):
        # CLA cycle: 6 months after 10 Jan 2024 = 10 Jul. Placed 1 Mar: adoption review by 29 Mar.
        nxt = rules.next_review_due(
            period_start=date(2023, 5, 1),
            held=[date(2023, 5, 25), date(2024, 1, 10)],
            placed_on=date(2024, 3, 1),
        )
        assert nxt.due == date(2024, 3, 29)
        assert nxt.sequence == "subsequent"

    def test_cla_cycle_wins_when_it_is_earlier(self):
        nxt = rules.next_review_due(
            period_start=date(2024, 1, 2), held=[], authority_from=date(2024, 1, 5)
        )
        assert nxt.due == rules.first_review_due(date(2024, 1, 2))


class TestPeriodsFromEpisodes:
    def test_a_new_period_of_care_restarts_the_cycle(self):
        episodes = [
            ep(date(2022, 1, 5), end=date(2022, 6, 1), rec="E4A"),
            ep(date(2023, 4, 28)),
        ]
        period = rules.period_for_reviews(episodes)
        assert period.start == date(2023, 4, 28)
        assert not period.ended

    def test_x1_chained_episodes_keep_the_period_start(self):
        episodes = [
            ep(date(2023, 4, 28), end=date(2023, 7, 1), rec="X1"),
            ep(date(2023, 7, 1), rne="P", place="U4"),
        ]
        assert rules.period_for_reviews(episodes).start == date(2023, 4, 28)

    def test_short_breaks_get_no_reviews(self):
        assert rules.period_for_reviews([ep(date(2024, 1, 1), ls="V3")]) is None
        assert rules.period_for_reviews([ep(date(2024, 1, 1), ls="V4")]) is None

    def test_moving_from_short_breaks_to_care_starts_the_clock_then(self):
        episodes = [
            ep(date(2024, 1, 1), ls="V3", end=date(2024, 2, 1), rec="X1"),
            ep(date(2024, 2, 1), ls="C1", rne="L"),
        ]
        assert rules.period_for_reviews(episodes).start == date(2024, 2, 1)

    def test_a_period_ending_otherwise_than_x1_is_ended(self):
        assert rules.period_for_reviews(
            [ep(date(2024, 1, 1), end=date(2024, 3, 1), rec="E4A")]
        ).ended

    def test_placement_for_adoption_gives_the_placement_date(self):
        episodes = [
            ep(date(2023, 1, 2), ls="C2", end=date(2023, 9, 4), rec="X1"),
            ep(date(2023, 9, 4), ls="E1", rne="L", end=date(2024, 3, 1), rec="X1"),
            ep(date(2024, 3, 1), ls="E1", rne="P", place="A6"),
        ]
        period = rules.period_for_reviews(episodes)
        assert period.authority_from == date(2023, 9, 4)
        assert period.placed_on == date(2024, 3, 1)

    def test_authority_revoked_stops_the_adoption_cycle(self):
        episodes = [
            ep(date(2023, 1, 2), ls="E1", end=date(2023, 9, 4), rec="X1"),
            ep(date(2023, 9, 4), ls="C2", rne="L"),
        ]
        assert rules.period_for_reviews(episodes).authority_from is None


class TestParticipation:
    def test_pn0_is_required_for_a_child_under_4_on_the_review_date(self):
        assert rules.participation_error("PN1", date(2021, 6, 1), date(2025, 5, 31))
        assert rules.participation_error("PN0", date(2021, 6, 1), date(2025, 5, 31)) is None

    def test_pn0_is_refused_from_the_fourth_birthday(self):
        assert rules.participation_error("PN0", date(2021, 6, 1), date(2025, 6, 1))
        assert rules.participation_error("PN6", date(2021, 6, 1), date(2025, 6, 1)) is None


class TestTimelinessAndMilestones:
    def test_in_timescale_means_held_on_or_before_the_due_date(self):
        assert rules.in_timescale(date(2023, 5, 31), date(2023, 5, 31))
        assert not rules.in_timescale(date(2023, 6, 1), date(2023, 5, 31))

    def test_record_milestones_count_working_days_across_the_coronation(self):
        held = date(2023, 5, 2)
        assert rules.manager_informed_deadline(held) == date(2023, 5, 10)  # skips 8 May
        assert rules.record_completed_deadline(held) == date(2023, 5, 24)
        assert rules.record_distributed_deadline(held) == date(2023, 6, 1)  # skips 29 May

    def test_milestone_overdue_when_missing_after_its_deadline_or_done_late(self):
        held = date(2023, 5, 2)
        assert not rules.milestone_overdue(held, 5, None, date(2023, 5, 10))
        assert rules.milestone_overdue(held, 5, None, date(2023, 5, 11))
        assert rules.milestone_overdue(held, 5, date(2023, 5, 11), date(2023, 6, 1))
        assert not rules.milestone_overdue(held, 5, date(2023, 5, 9), date(2023, 6, 1))

    def test_latest_held_date_overdue_matches_the_deadline(self):
        today = date(2023, 5, 11)
        cutoff = rules.latest_held_date_overdue(today, 5)
        assert rules.add_working_days(cutoff, 5) < today
        assert rules.add_working_days(cutoff + timedelta(days=1), 5) >= today

    def test_social_worker_report_is_due_3_working_days_before_the_meeting(self):
        # Meeting Tue 9 May 2023: back over the coronation Monday and the weekend.
        assert rules.sw_report_target(date(2023, 5, 9)) == date(2023, 5, 3)

    def test_at_risk_when_set_after_due_or_report_late_with_no_slack(self):
        due = date(2024, 3, 15)
        assert rules.at_risk_of_timescale(
            meeting_day=date(2024, 3, 18), due=due, report_received=True, today=date(2024, 3, 1)
        )
        assert rules.at_risk_of_timescale(
            meeting_day=date(2024, 3, 14), due=due, report_received=False, today=date(2024, 3, 12)
        )
        assert not rules.at_risk_of_timescale(
            meeting_day=date(2024, 3, 14), due=due, report_received=True, today=date(2024, 3, 12)
        )
        assert not rules.at_risk_of_timescale(
            meeting_day=date(2024, 3, 1), due=due, report_received=False, today=date(2024, 2, 28)
        )


def test_latest_due_past_booking_target_matches_the_booking_deadline():
    from iro.rules import booking_deadline

    today = date(2023, 5, 2)  # the day after the early-May bank holiday
    cutoff = rules.latest_due_past_booking_target(today, 10)
    assert booking_deadline(cutoff, 10) < today
    assert booking_deadline(cutoff + timedelta(days=1), 10) >= today
    assert cutoff == date(2023, 5, 16)  # booking deadline 1 May (a holiday counts back to 28 Apr)
