"""The roles of the service. Each is a Django group; its permissions are declared by the apps.

Each app's AppConfig has a `role_permissions` mapping of Role to "app_label.codename" strings; the
post_migrate handler `sync_role_permissions` gives every group exactly the union of those.
"""

from django.db import models


class Role(models.TextChoices):
    IRO = "iro", "IRO"
    TEAM_MANAGER = "team_manager", "IRO team manager"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    # Responders to IRPs from outside the IRO service's leadership (a social work team manager):
    # their escalation queue and the children in the IRPs addressed to them, nothing more. The
    # Head of service role adds oversight of every open IRP, live figures and board snapshots.
    ESCALATION_RESPONDER = "escalation_responder", "Escalation responder"
    PERFORMANCE_OFFICER = "performance_officer", "Performance officer"
    BOARD_MEMBER = "board_member", "Board member"
    ADMINISTRATOR = "administrator", "Administrator"
    # Answers "who viewed this child's record?" from the access log (iro.view_access_log): names
    # of children and of staff, so it is given only through a role change request that a second
    # administrator approves. Administrators do not have it.
    INFORMATION_GOVERNANCE = "information_governance", "Information governance officer"


# When a user holds several roles, the first in this order decides their home page.
ROLE_PRIORITY = [
    Role.TEAM_MANAGER,
    Role.IRO,
    Role.HEAD_OF_SERVICE,
    Role.ESCALATION_RESPONDER,
    Role.PERFORMANCE_OFFICER,
    Role.INFORMATION_GOVERNANCE,
    Role.ADMINISTRATOR,
    Role.BOARD_MEMBER,
]

# The roles that may be named as the responder to an IRP stage (with a responder level on the
# user's profile saying which stage).
RESPONDER_ROLES = (Role.HEAD_OF_SERVICE, Role.ESCALATION_RESPONDER)


def responder_role(level: str) -> Role:
    """The role a new responder at this level gets: social work team managers answer the IRPs
    addressed to them (Escalation responder); heads of service, assistant directors and
    directors also oversee the service (Head of service)."""
    return Role.ESCALATION_RESPONDER if level == "sw_team_manager" else Role.HEAD_OF_SERVICE


def group_name(role: Role) -> str:
    return role.label


def role_for_group_name(name: str) -> Role | None:
    for role in Role:
        if role.label == name:
            return role
    return None


def sync_role_permissions(**kwargs) -> None:
    """Give each role's group exactly the permissions the installed apps declare for it."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    wanted: dict[Role, set[str]] = {role: set() for role in Role}
    for config in apps.get_app_configs():
        for role, perms in getattr(config, "role_permissions", {}).items():
            wanted[Role(role)].update(perms)
    for role, perms in wanted.items():
        group, _ = Group.objects.get_or_create(name=group_name(role))
        found = []
        for dotted in sorted(perms):
            app_label, codename = dotted.split(".", 1)
            try:
                found.append(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )
            except Permission.DoesNotExist:
                # Permissions of an app are created in its own post_migrate; a later call fills
                # them in. Migrating the whole project ends with every permission present.
                continue
        group.permissions.set(found)


# Roles that see children, or that administer who may: giving one of these to anyone needs a
# second administrator's approval (iro.models.RoleChangeRequest). Board members see aggregates
# only, so an administrator may give that role directly. Nobody becomes superuser from the web.
ROLES_NEEDING_APPROVAL = frozenset(
    {
        Role.IRO,
        Role.TEAM_MANAGER,
        Role.HEAD_OF_SERVICE,
        Role.ESCALATION_RESPONDER,
        Role.PERFORMANCE_OFFICER,
        Role.ADMINISTRATOR,
        Role.INFORMATION_GOVERNANCE,
    }
)


def needs_approval(group_name_: str) -> bool:
    """True for a group that is a role needing approval, or that is not a known role at all."""
    role = role_for_group_name(group_name_)
    return role is None or role in ROLES_NEEDING_APPROVAL
