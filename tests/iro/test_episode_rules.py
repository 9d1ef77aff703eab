"""Each 903 episode rule, tried and broken on small worked histories."""

from datetime import date

import pytest

from iro.episode_rules import (
    Episode,
    history_problems,
    placement_provider_problems,
    problems_by_field,
    retired_code_problems,
    rne_for_change,
)

DOB = date(2012, 5, 1)


def ep(start, rne="S", ls="C2", cin="N1", place="U4", provider="PR1", **kw) -> Episode:
    return Episode(
        start=start,
        reason_new_episode=rne,
        legal_status=ls,
        category_of_need=cin,
        placement_type=place,
        placement_provider=provider,
        **kw,
    )


def fields(history, dob=DOB):
    return {(p.index, p.field) for p in history_problems(history, dob)}


@pytest.mark.parametrize(
    ("ls", "placement", "carer", "expected"),
    [
        (True, False, False, "L"),
        (False, True, False, "T"),
        (False, True, True, "P"),
        (True, True, False, "U"),
        (True, True, True, "B"),
    ],
)
def test_the_reason_for_a_new_episode_follows_from_what_changed(ls, placement, carer, expected):
    assert (
        rne_for_change(legal_status_changed=ls, placement_changed=placement, carer_changed=carer)
        == expected
    )


def test_no_change_gives_no_reason_for_a_new_episode():
    with pytest.raises(ValueError):
        rne_for_change(legal_status_changed=False, placement_changed=False, carer_changed=False)
    with pytest.raises(ValueError):
        rne_for_change(legal_status_changed=True, placement_changed=False, carer_changed=True)


def test_a_valid_history_with_x1_chains_and_two_periods_has_no_problems():
    history = [
        ep(date(2020, 1, 6), end=date(2020, 3, 31), reason_ceased="X1", ls="V2", provider="PR1"),
        ep(
            date(2020, 3, 31),
            rne="L",
            ls="C1",
            end=date(2021, 2, 28),
            reason_ceased="X1",
            reason_place_change="CARPL",
        ),
        ep(
            date(2021, 2, 28),
            rne="P",
            ls="C1",
            place="U6",
            provider="PR4",
            end=date(2022, 1, 31),
            reason_ceased="E4A",
        ),
        ep(date(2023, 5, 1), cin="N5", place="K2", provider="PR4"),
    ]
    assert history_problems(history, DOB) == []


def test_the_first_episode_must_start_a_period_of_care():
    assert (0, "reason_new_episode") in fields([ep(date(2020, 1, 6), rne="P")])


def test_after_an_ending_other_than_x1_the_next_episode_must_be_s():
    history = [
        ep(date(2020, 1, 6), end=date(2020, 6, 1), reason_ceased="E4A"),
        ep(date(2020, 9, 1), rne="L", ls="C1"),
    ]
    assert (1, "reason_new_episode") in fields(history)


def test_an_s_episode_may_not_start_the_day_the_previous_one_ended():
    history = [
        ep(date(2020, 1, 6), end=date(2020, 6, 1), reason_ceased="E4A"),
        ep(date(2020, 6, 1)),
    ]
    assert (1, "start") in fields(history)
    history[1] = ep(date(2020, 6, 2))
    assert fields(history) == set()


def test_x1_must_chain_into_an_episode_starting_the_same_day():
    history = [
        ep(date(2020, 1, 6), end=date(2020, 6, 1), reason_ceased="X1", reason_place_change="CARPL"),
        ep(date(2020, 6, 3), rne="P", place="U6", provider="PR4"),
    ]
    assert (1, "start") in fields(history)


def test_the_last_episode_cannot_end_with_x1():
    history = [ep(date(2020, 1, 6), end=date(2020, 6, 1), reason_ceased="X1")]
    assert (0, "reason_ceased") in fields(history)


def test_episodes_may_not_overlap():
    history = [
        ep(date(2020, 1, 6), end=date(2020, 6, 1), reason_ceased="E4A"),
        ep(date(2020, 5, 1)),
    ]
    assert (1, "start") in fields(history)


def test_only_the_latest_episode_may_be_open():
    history = [ep(date(2020, 1, 6)), ep(date(2020, 5, 1))]
    problems = fields(history)
    assert (0, "end") in problems
    assert (1, "start") in problems


def test_an_x1_successor_may_not_be_reason_s():
    history = [
        ep(date(2020, 1, 6), end=date(2020, 6, 1), reason_ceased="X1"),
        ep(date(2020, 6, 1), ls="C1"),
    ]
    assert (1, "reason_new_episode") in fields(history)


@pytest.mark.parametrize(
    ("rne", "ls", "place", "provider", "ok"),
    [
        ("L", "C1", "U4", "PR1", True),
        ("L", "C1", "U6", "PR1", False),  # placement changed too
        ("P", "C1", "U6", "PR1", False),  # legal status changed too
        ("T", "C2", "U4", "PR1", False),  # nothing about the placement changed
        ("T", "C2", "U4", "PR4", True),  # provider change is a placement change
        ("B", "C2", "U6", "PR1", False),  # B needs a legal status change
        ("U", "C1", "U6", "PR1", True),
        ("B", "C1", "U6", "PR1", True),
    ],
)
def test_the_reason_for_a_new_episode_must_match_what_changed(rne, ls, place, provider, ok):
    history = [
        ep(
            date(2020, 1, 6),
            end=date(2020, 6, 1),
            reason_ceased="X1",
            reason_place_change="CARPL" if rne != "L" else "",
        ),
        ep(date(2020, 6, 1), rne=rne, ls=ls, place=place, provider=provider),
    ]
    assert (not {f for i, f in fields(history) if i == 1}) is ok


def test_an_episode_where_nothing_changed_is_refused():
    history = [
        ep(date(2020, 1, 6), end=date(2020, 6, 1), reason_ceased="X1"),
        ep(date(2020, 6, 1), rne="L"),
    ]
    assert (1, "__all__") in fields(history)


def test_the_category_of_need_stays_the_same_within_a_period_of_care():
    history = [
        ep(date(2020, 1, 6), end=date(2020, 6, 1), reason_ceased="X1"),
        ep(date(2020, 6, 1), rne="L", ls="C1", cin="N4"),
    ]
    assert (1, "category_of_need") in fields(history)


def test_the_category_of_need_may_change_in_a_new_period_of_care():
    history = [
        ep(date(2020, 1, 6), end=date(2020, 6, 1), reason_ceased="E4A"),
        ep(date(2020, 8, 1), cin="N4"),
    ]
    assert fields(history) == set()


def test_a_placement_change_needs_a_reason_unless_temporary():
    history = [
        ep(date(2020, 1, 6), end=date(2020, 6, 1), reason_ceased="X1"),
        ep(date(2020, 6, 1), rne="P", place="U6", provider="PR4"),
    ]
    assert (0, "reason_place_change") in fields(history)
    history[1] = ep(date(2020, 6, 1), rne="P", place="T2", provider="")
    assert (0, "reason_place_change") not in fields(history)


def test_a_period_of_care_cannot_start_with_a_temporary_placement():
    assert (0, "placement_type") in fields([ep(date(2020, 1, 6), place="T1", provider="")])


@pytest.mark.parametrize(
    ("place", "provider", "ok"),
    [
        ("T0", "", True),
        ("T3", "PR1", False),
        ("Z12", "PR4", False),
        ("Z12", "", True),
        ("U4", "", False),
        ("P1", "PR0", True),
        ("U4", "PR0", False),
        ("P1", "PR1", False),
        ("R2", "PR2", False),
        ("R5", "PR3", True),
        ("K2", "PR3", False),
        ("A5", "PR3", False),
        ("P1", "PR4", False),
        ("P1", "PR5", False),
        ("K2", "PR5", True),
    ],
)
def test_placement_provider_rules(place, provider, ok):
    assert (placement_provider_problems(place, provider) == []) is ok


@pytest.mark.parametrize("place", ["H5", "P2", "Z1"])
def test_retired_placement_types_are_refused_for_new_episodes(place):
    assert "placement_type" in retired_code_problems(ep(date(2025, 5, 1), place=place))


def test_retired_placement_types_stay_valid_in_history():
    assert history_problems([ep(date(2020, 1, 6), place="H5", provider="PR4")], DOB) == []


@pytest.mark.parametrize(("dob", "ok"), [(date(2015, 6, 2), False), (date(2010, 6, 1), True)])
def test_youth_justice_legal_statuses_are_not_for_children_under_ten(dob, ok):
    # Born 1 June 2010: 10 on 1 June 2020, the start date.
    history = [ep(date(2020, 6, 1), ls="J1", place="K1", provider="PR1")]
    assert ((0, "legal_status") not in fields(history, dob)) is ok


def test_custody_is_not_a_reason_for_a_placement_change_under_ten():
    history = [
        ep(
            date(2020, 1, 6), end=date(2020, 6, 1), reason_ceased="X1", reason_place_change="CUSTOD"
        ),
        ep(date(2020, 6, 1), rne="P", place="U6", provider="PR4"),
    ]
    assert (0, "reason_place_change") in fields(history, date(2015, 1, 1))


def test_section_20_children_cannot_be_placed_with_parents():
    assert (0, "placement_type") in fields(
        [ep(date(2020, 1, 6), ls="V2", place="P1", provider="PR0")]
    )


def test_problems_of_other_episodes_become_non_field_errors():
    history = [
        ep(date(2020, 1, 6), end=date(2020, 6, 1), reason_ceased="X1"),
        ep(date(2020, 6, 1), rne="P", place="U6", provider="PR4"),
    ]
    errors = problems_by_field(history_problems(history, DOB), 1)
    assert errors == {"__all__": ["Enter the reason for the placement change."]}
