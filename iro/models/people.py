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
        if self.pk is None:
            return frozenset()
        self.load_access()
        return self.__dict__["roles"]

    def load_access(self) -> None:
        """Read the user's roles (groups) and permissions in one query, and keep them on this
        object for the request, as `roles` and as ModelBackend's permission caches.

        Almost every request asks both (the navigation, the views' checks); read separately they
        were three queries. iro.auth_backends.ServiceModelBackend calls this for permissions."""
        from django.contrib.auth.models import Group, Permission
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection

        member = User.groups.through._meta.db_table
        granted = User.user_permissions.through._meta.db_table
        group_granted = Group.permissions.through._meta.db_table
        perm, ctype, group = (
            Permission._meta.db_table,
            ContentType._meta.db_table,
            Group._meta.db_table,
        )
        sql = f"""
            SELECT 'role', g.name FROM {group} g
              JOIN {member} m ON m.group_id = g.id WHERE m.user_id = %(user)s
            UNION ALL
            SELECT 'user', ct.app_label || '.' || p.codename FROM {perm} p
              JOIN {granted} up ON up.permission_id = p.id
              JOIN {ctype} ct ON ct.id = p.content_type_id WHERE up.user_id = %(user)s
            UNION ALL
            SELECT 'group', ct.app_label || '.' || p.codename FROM {perm} p
              JOIN {group_granted} gp ON gp.permission_id = p.id
              JOIN {member} m ON m.group_id = gp.group_id
              JOIN {ctype} ct ON ct.id = p.content_type_id WHERE m.user_id = %(user)s
        """  # noqa: S608 - table names from the models' metadata; the user id is a parameter
        with connection.cursor() as cursor:
            cursor.execute(sql, {"user": self.pk})
            rows = cursor.fetchall()
        found: dict[str, set[str]] = {"role": set(), "user": set(), "group": set()}
        for kind, value in rows:
            found[kind].add(value)
        self.__dict__["roles"] = frozenset(
            r for r in (role_for_group_name(n) for n in found["role"]) if r is not None
        )
        if self.is_active and not self.is_superuser:
            # The attribute names ModelBackend keeps its per-object caches under.
            self._user_perm_cache = found["user"]
            self._group_perm_cache = found["group"]
            self._perm_cache = found["user"] | found["group"]

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def primary_role(self) -> Role | None:
        for role in ROLE_PRIORITY:
            if role in self.roles:
                return role
        return None
