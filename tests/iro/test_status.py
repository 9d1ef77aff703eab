"""A child's status on a date: looked after, on a CP plan, dual or neither."""

from datetime import date

import pytest

from iro.registry import registry
from iro.selectors import ChildStatus, child_status_on, period_of_care_start
from tests.iro.factories import CareEpisodeFactory, ChildFactory

pytestmark = pytest.mark.django_db


def test_looked_after_between_start_and_end():
    episode = CareEpisodeFactory(start=date(2024, 1, 10), end=date(2024, 6, 1), reason_ceased="E4A")
    child = episode.child
    assert child_status_on(child, date(2024, 1, 9)) == ChildStatus.NEITHER
    assert child_status_on(child, date(2024, 1, 10)) == ChildStatus.LOOKED_AFTER
    assert child_status_on(child, date(2024, 5, 31)) == ChildStatus.LOOKED_AFTER
    # An episode that ceases on 1 June no longer covers the end of that day.
    assert child_status_on(child, date(2024, 6, 1)) == ChildStatus.NEITHER


def test_short_breaks_do_not_count_as_looked_after():
    episode = CareEpisodeFactory(legal_status="V3")
    assert child_status_on(episode.child, date(2024, 2, 1)) == ChildStatus.NEITHER


def test_x1_chain_keeps_the_period_of_care_start():
    child = ChildFactory()
    CareEpisodeFactory(
        child=child, start=date(2024, 1, 10), end=date(2024, 3, 1), reason_ceased="X1"
    )
    CareEpisodeFactory(
        child=child, start=date(2024, 3, 1), reason_new_episode="P", placement_type="U4"
    )
    assert period_of_care_start(child, date(2024, 4, 1)) == date(2024, 1, 10)
    assert child_status_on(child, date(2024, 3, 1)) == ChildStatus.LOOKED_AFTER


def test_cp_plan_provider_makes_status_cp_or_dual(monkeypatch):
    looked_after = CareEpisodeFactory().child
    on_plan_only = ChildFactory()
    from iro.models import Child

    def provider(on):
        return Child.objects.filter(pk__in=[looked_after.pk, on_plan_only.pk]).values_list(
            "pk", flat=True
        )

    monkeypatch.setattr(registry, "cp_plan_child_ids", [provider])
    assert child_status_on(looked_after, date(2024, 2, 1)) == ChildStatus.DUAL
    assert child_status_on(on_plan_only, date(2024, 2, 1)) == ChildStatus.CP_PLAN
