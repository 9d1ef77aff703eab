"""Care episode services: the rules hold through the writes, and the signals go out."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from iro.models import AllocationRequest, CareEpisode
from iro.services.episodes import care_change, care_end, care_start, episode_correct
from iro.signals import care_episodes_changed, period_of_care_started
from tests.iro.factories import AllocationFactory, ChildFactory

START = dict(
    legal_status="C2", category_of_need="N1", placement_type="U4", placement_provider="PR1"
)


@pytest.fixture
def received():
    calls = []

    def on_changed(sender, **kwargs):
        calls.append(("changed", kwargs["child"].pk, kwargs["changed_from"]))

    def on_started(sender, **kwargs):
        calls.append(("started", kwargs["child"].pk, kwargs["episode"].start))

    care_episodes_changed.connect(on_changed, dispatch_uid="test-changed")
    period_of_care_started.connect(on_started, dispatch_uid="test-started")
    yield calls
    care_episodes_changed.disconnect(dispatch_uid="test-changed")
    period_of_care_started.disconnect(dispatch_uid="test-started")


def test_starting_care_opens_an_s_episode_and_asks_for_an_iro(db, received):
    child = ChildFactory()
    episode = care_start(child=child, start=date(2025, 3, 3), **START)
    assert episode.reason_new_episode == "S"
    request = AllocationRequest.objects.get(child=child)
    assert request.role == "cla" and request.fulfilled_at is None
    assert received == [
        ("changed", child.pk, date(2025, 3, 3)),
        ("started", child.pk, date(2025, 3, 3)),
    ]


def test_starting_care_with_an_open_cla_allocation_asks_for_no_iro(db):
    child = ChildFactory()
    AllocationFactory(child=child)
    care_start(child=child, start=date(2025, 3, 3), **START)
    assert not AllocationRequest.objects.filter(child=child).exists()


def test_care_cannot_start_twice(db):
    child = ChildFactory()
    care_start(child=child, start=date(2025, 3, 3), **START)
    with pytest.raises(ValidationError) as exc:
        care_start(child=child, start=date(2025, 4, 3), **START)
    assert "start" in exc.value.message_dict
    assert CareEpisode.objects.filter(child=child).count() == 1


def test_retired_codes_cannot_start_care(db):
    child = ChildFactory()
    with pytest.raises(ValidationError) as exc:
        care_start(
            child=child,
            start=date(2025, 3, 3),
            **{**START, "placement_type": "H5", "placement_provider": "PR4"},
        )
    assert "placement_type" in exc.value.message_dict
    assert not CareEpisode.objects.exists()


def test_a_placement_change_closes_with_x1_and_opens_a_p_episode_the_same_day(db, received):
    child = ChildFactory()
    first = care_start(child=child, start=date(2025, 3, 3), **START)
    new = care_change(
        child=child,
        on=date(2025, 6, 2),
        placement_type="U6",
        placement_provider="PR4",
        carer_changed=True,
        reason_place_change="CREQB",
    )
    first.refresh_from_db()
    assert (first.end, first.reason_ceased, first.reason_place_change) == (
        date(2025, 6, 2),
        "X1",
        "CREQB",
    )
    assert (new.start, new.reason_new_episode, new.category_of_need) == (
        date(2025, 6, 2),
        "P",
        "N1",
    )
    assert received[-1] == ("changed", child.pk, date(2025, 6, 2))


@pytest.mark.parametrize(
    ("change", "rne"),
    [
        (dict(legal_status="E1"), "L"),
        (dict(placement_postcode="B1 1AA"), "T"),
        (
            dict(
                legal_status="E1",
                placement_type="A6",
                carer_changed=True,
                reason_place_change="CARPL",
            ),
            "B",
        ),
        (dict(legal_status="E1", placement_type="U5", reason_place_change="PLACE"), "U"),
    ],
)
def test_a_change_gets_the_reason_that_matches_it(db, change, rne):
    child = ChildFactory()
    care_start(child=child, start=date(2025, 3, 3), **START)
    if rne == "T":
        change["reason_place_change"] = "PLACE"
    assert care_change(child=child, on=date(2025, 6, 2), **change).reason_new_episode == rne


def test_a_change_that_changes_nothing_is_refused_and_nothing_is_written(db):
    child = ChildFactory()
    care_start(child=child, start=date(2025, 3, 3), **START)
    with pytest.raises(ValidationError):
        care_change(child=child, on=date(2025, 6, 2), legal_status="C2")
    assert CareEpisode.objects.get(child=child).end is None


def test_a_placement_change_without_a_reason_is_refused_on_that_field(db):
    child = ChildFactory()
    care_start(child=child, start=date(2025, 3, 3), **START)
    with pytest.raises(ValidationError) as exc:
        care_change(
            child=child,
            on=date(2025, 6, 2),
            placement_type="U6",
            placement_provider="PR4",
            carer_changed=True,
        )
    assert "reason_place_change" in exc.value.message_dict
    assert CareEpisode.objects.filter(child=child).count() == 1


def test_a_change_before_the_current_episode_started_is_refused(db):
    child = ChildFactory()
    care_start(child=child, start=date(2025, 3, 3), **START)
    with pytest.raises(ValidationError):
        care_change(child=child, on=date(2025, 3, 1), legal_status="C1")


def test_youth_justice_status_for_a_nine_year_old_is_refused(db):
    child = ChildFactory(date_of_birth=date(2016, 1, 1))
    care_start(child=child, start=date(2025, 3, 3), **START)
    with pytest.raises(ValidationError) as exc:
        care_change(child=child, on=date(2025, 6, 2), legal_status="J1")
    assert "legal_status" in exc.value.message_dict


def test_ending_care_refuses_x1_and_closes_the_period(db, received):
    child = ChildFactory()
    episode = care_start(child=child, start=date(2025, 3, 3), **START)
    with pytest.raises(ValidationError):
        care_end(child=child, on=date(2025, 9, 1), reason_ceased="X1")
    care_end(child=child, on=date(2025, 9, 1), reason_ceased="E4A")
    episode.refresh_from_db()
    assert (episode.end, episode.reason_ceased) == (date(2025, 9, 1), "E4A")


def test_a_new_period_cannot_start_the_day_the_last_one_ended(db):
    child = ChildFactory()
    care_start(child=child, start=date(2025, 3, 3), **START)
    care_end(child=child, on=date(2025, 9, 1), reason_ceased="E4A")
    with pytest.raises(ValidationError) as exc:
        care_start(child=child, start=date(2025, 9, 1), **START)
    assert "start" in exc.value.message_dict
    assert care_start(child=child, start=date(2025, 9, 2), **{**START, "category_of_need": "N4"})


def test_correcting_an_episode_must_keep_the_history_valid(db, received):
    child = ChildFactory()
    first = care_start(child=child, start=date(2025, 3, 3), **START)
    care_change(child=child, on=date(2025, 6, 2), legal_status="E1")
    with pytest.raises(ValidationError):
        episode_correct(episode=first, category_of_need="N4")
    fixed = episode_correct(episode=first, start=date(2025, 2, 27))
    assert fixed.start == date(2025, 2, 27)
    assert received[-1] == ("changed", child.pk, date(2025, 2, 27))


def test_a_retired_code_already_on_an_episode_may_stay_when_it_is_corrected(db):
    child = ChildFactory()
    episode = CareEpisode.objects.create(
        child=child,
        start=date(2023, 1, 9),
        reason_new_episode="S",
        legal_status="V2",
        category_of_need="N4",
        placement_type="H5",
        placement_provider="PR4",
    )
    assert episode_correct(episode=episode, placement_postcode="B2 2BB").placement_type == "H5"
    other = ChildFactory()
    fresh = care_start(child=other, start=date(2025, 3, 3), **START)
    with pytest.raises(ValidationError):
        episode_correct(episode=fresh, placement_type="P2", placement_provider="PR4")
