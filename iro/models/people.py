from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property

from iro.codes import Ethnicity, Sex
from iro.roles import ROLE_PRIORITY, Role, role_for_group_name


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    manager = models.ForeignKey(
        "iro.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="managed_teams"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ResponderLevel(models.TextChoices):
    """Who a user answers escalations as (IRP stage ladder)."""

    NONE = "", "Not an escalation responder"
    SW_TEAM_MANAGER = "sw_team_manager", "Social work team manager"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    ASSISTANT_DIRECTOR = "assistant_director", "Assistant director"
    DIRECTOR = "director", "Director"


class User(AbstractUser):
    """A member of staff. Roles are Django groups (iro.roles.Role)."""

    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    fte = models.DecimalField(
        "full-time equivalent",
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))],
    )
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    job_title = models.CharField(max_length=120, blank=True)
    # Workforce monitoring (IRO-05); optional, as staff may decline to say.
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, blank=True)
    responder_level = models.CharField(
        max_length=30, choices=ResponderLevel.choices, default=ResponderLevel.NONE, blank=True
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fte__gt=0) & models.Q(fte__lte=1), name="user_fte_in_range"
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[Role]:
        names = self.groups.values_list("name", flat=True)
        return frozenset(r for r in (role_for_group_name(n) for n in names) if r is not None)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def primary_role(self) -> Role | None:
        for role in ROLE_PRIORITY:
            if role in self.roles:
                return role
        return None
