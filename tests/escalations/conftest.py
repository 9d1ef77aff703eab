"""Personas for the IRP ladder: a responder at each level, and siblings allocated to one IRO."""

from datetime import date

import pytest

from iro.models import ResponderLevel
from tests.escalations.factories import make_responder
from tests.iro.factories import (
    AllocationFactory,
    CareEpisodeFactory,
    ChildFactory,
    SiblingGroupFactory,
)


@pytest.fixture
def sw_manager(db):
    return make_responder(
        ResponderLevel.SW_TEAM_MANAGER, username="sam", first_name="Sam", last_name="Shaw"
    )


@pytest.fixture
def other_head_of_service(db):
    """A responder at head-of-service level who is not named on the IRPs in the tests."""
    return make_responder(
        ResponderLevel.HEAD_OF_SERVICE, username="olive", first_name="Olive", last_name="Owen"
    )


@pytest.fixture
def assistant_director(db):
    return make_responder(
        ResponderLevel.ASSISTANT_DIRECTOR, username="ade", first_name="Ade", last_name="Ayo"
    )


@pytest.fixture
def director(db):
    return make_responder(
        ResponderLevel.DIRECTOR, username="dina", first_name="Dina", last_name="Doyle"
    )


@pytest.fixture
def siblings(db, iro_allocated):
    """Two looked-after siblings allocated to iro_allocated."""
    group = SiblingGroupFactory(name="Smith siblings")
    children = []
    for first, la_id in (("Jamie", "C900011"), ("Jordan", "C900012")):
        child = ChildFactory(
            first_name=first, last_name="Smith-Jones", la_child_id=la_id, sibling_group=group
        )
        CareEpisodeFactory(child=child, start=date(2024, 1, 10))
        AllocationFactory(child=child, iro=iro_allocated)
        children.append(child)
    return children
