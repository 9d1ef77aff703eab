"""Factories for concerns and IRPs. IRPs are raised through the service, so every one has its
first stage and its raise event, as in real use."""

from datetime import date

import factory

from escalations import services
from escalations.models import Category, Concern, StageDefinition
from iro.models import ResponderLevel
from iro.roles import Role, responder_role
from tests.iro.factories import UserFactory, make_user


class ConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concern

    child = factory.SubFactory("tests.iro.factories.ChildFactory")
    raised_by = factory.SubFactory(UserFactory, role=Role.IRO)
    raised_on = date(2025, 3, 3)
    category = Category.DRIFT_AND_DELAY
    description = "Permanence plan has not progressed since the last review"
    raised_with = "Social worker and team manager"
    plan_context = "looked_after"


def make_responder(level: str, **kwargs):
    """A responder at this level, in the role such a responder gets (iro.roles.responder_role):
    Escalation responder for a social work team manager, Head of service above."""
    return make_user(responder_role(level), responder_level=level, **kwargs)


def stage(order: int) -> StageDefinition:
    StageDefinition.ensure_default_ladder()
    return StageDefinition.objects.get(order=order)


def raise_irp(*, iro, children, responder=None, order: int = 1, on=date(2025, 3, 3), **kwargs):
    """Raise an IRP at stage `order` through the service."""
    level = stage(order).responder_level
    responder = responder or make_responder(level)
    defaults = {
        "category": Category.DRIFT_AND_DELAY,
        "summary": "Matching for long-term foster carers has stalled for six months",
        "outcome_sought": "A family-finding plan agreed within two weeks",
    }
    defaults.update(kwargs)
    return services.escalation_raise(
        raised_by=iro,
        children=children,
        stage=stage(order),
        responder=responder,
        raised_on=on,
        **defaults,
    )


LEVELS = {
    1: ResponderLevel.SW_TEAM_MANAGER,
    2: ResponderLevel.HEAD_OF_SERVICE,
    3: ResponderLevel.ASSISTANT_DIRECTOR,
    4: ResponderLevel.DIRECTOR,
}
