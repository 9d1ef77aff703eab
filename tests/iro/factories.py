"""Factories for the case core. Related records are consistent by construction."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from iro.models import (
    Allocation,
    AllocationRole,
    Area,
    CareEpisode,
    Child,
    Meeting,
    MeetingKind,
    SiblingGroup,
    Team,
    User,
    VenueType,
)
from iro.roles import Role, group_name

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"IRO team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A member of staff; pass role=Role.X to put them in that role's group."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    fte = Decimal("1.00")
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.groups.add(Group.objects.get(name=group_name(extracted)))


def make_user(role: Role | None, **kwargs) -> User:
    return UserFactory(role=role, **kwargs)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("name",)

    name = factory.Iterator(["North", "South", "East", "West", "Central"])


class SiblingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SiblingGroup


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    la_child_id = factory.Sequence(lambda n: f"C{100000 + n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = date(2015, 6, 15)
    sex = "F"
    ethnicity = "WBRI"


class CareEpisodeFactory(factory.django.DjangoModelFactory):
    """An open episode starting a period of care (RNE S) unless told otherwise."""

    class Meta:
        model = CareEpisode

    child = factory.SubFactory(ChildFactory)
    start = date(2024, 1, 10)
    reason_new_episode = "S"
    legal_status = "C2"
    category_of_need = "N1"
    placement_type = "U6"
    placement_provider = "PR1"
    home_postcode = "TS1 2AB"
    placement_postcode = "TS5 6CD"


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    child = factory.SubFactory(ChildFactory)
    iro = factory.SubFactory(UserFactory, role=Role.IRO)
    role = AllocationRole.CLA
    start = date(2024, 1, 11)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    kind = MeetingKind.CLA_REVIEW
    chair = factory.SubFactory(UserFactory, role=Role.IRO)
    starts_at = factory.LazyFunction(
        lambda: timezone.make_aware(
            datetime.combine(
                timezone.localdate() + timedelta(days=14), datetime.min.time()
            ).replace(hour=10)
        )
    )
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + timedelta(minutes=90))
    venue_type = VenueType.OFFICE

    @factory.post_generation
    def children(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.children.set(extracted)
