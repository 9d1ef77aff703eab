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


@pytest.fixture
def all_personas(personas, other_head_of_service):
    """The common personas plus a responder who is not named on the IRP."""
    return {**personas, "responder_not_named": other_head_of_service}


@pytest.fixture
def world(child, iro_allocated, head_of_service):
    """An IRP at stage 2 addressed to head_of_service, and an open concern, both about `child`."""
    from escalations import services
    from tests.escalations.factories import raise_irp

    irp = raise_irp(
        iro=iro_allocated,
        children=[child],
        responder=head_of_service,
        order=2,
        on=date(2025, 12, 19),
    )
    concern = services.concern_raise(
        child=child,
        raised_by=iro_allocated,
        category="drift_and_delay",
        description="Permanence delayed",
        raised_with="Team manager",
        raised_on=date(2025, 12, 1),
    )
    return {"irp": irp, "concern": concern}
