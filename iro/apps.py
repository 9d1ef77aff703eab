from django.apps import AppConfig
from django.db.models.signals import post_migrate

from iro.roles import Role


def ensure_settings_row(*, apps=None, using="default", **kwargs) -> None:
    """The service settings row that a data migration writes, written again after every migrate
    and every flush (a flush empties the table and sends post_migrate, migrations do not run
    again), so that the admin's settings page always has its row."""
    from django.apps import apps as installed

    apps = apps or installed  # a flush sends no migration state: the models as installed
    try:
        model = apps.get_model("iro", "ServiceSettings")
    except LookupError:  # migrated back before the table
        return
    model.objects.using(using).get_or_create(pk=1)


class IroConfig(AppConfig):
    name = "iro"
    verbose_name = "IRO service core"
    default_auto_field = "django.db.models.BigAutoField"

    role_permissions = {
        Role.IRO: ["iro.view_child"],
        Role.TEAM_MANAGER: [
            "iro.view_child",
            "iro.view_all_children",
            "iro.view_restricted_children",
            "iro.manage_allocations",
            "iro.view_allocation",
            "iro.add_child",
            "iro.change_child",
            "iro.add_careepisode",
            "iro.change_careepisode",
        ],
        Role.HEAD_OF_SERVICE: ["iro.view_child"],
        # Which children: those in the IRPs addressed to them (registry.extra_visible_child_ids).
        Role.ESCALATION_RESPONDER: ["iro.view_child"],
        Role.PERFORMANCE_OFFICER: [
            "iro.view_child",
            "iro.view_all_children",
            "iro.add_child",
            "iro.change_child",
            "iro.add_careepisode",
            "iro.change_careepisode",
        ],
        Role.ADMINISTRATOR: [
            "iro.view_user",
            "iro.add_user",
            "iro.change_user",
            "iro.view_team",
            "iro.add_team",
            "iro.change_team",
            "iro.view_area",
            "iro.add_area",
            "iro.change_area",
            "iro.view_servicesettings",
            "iro.change_servicesettings",
            "auth.view_group",
            "iro.view_rolechangerequest",
            "iro.add_rolechangerequest",
            "iro.decide_rolechangerequest",
            "iro.view_auditevent",
        ],
        # Who viewed which child: the access log, with children's names (not administrators).
        Role.INFORMATION_GOVERNANCE: ["iro.view_access_log"],
        Role.BOARD_MEMBER: [],
    }

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
        from rest_framework.authtoken.models import Token, TokenProxy

        from iro import audit, home_panels, navigation
        from iro.audit import record_group_change
        from iro.middleware import mark_session_refreshed
        from iro.models import User
        from iro.roles import sync_role_permissions

        m2m_changed.connect(
            record_group_change, sender=User.groups.through, dispatch_uid="iro.audit_groups"
        )
        m2m_changed.connect(
            audit.record_permission_change,
            sender=User.user_permissions.through,
            dispatch_uid="iro.audit_permissions",
        )
        pre_save.connect(audit.remember_account_flags, sender=User, dispatch_uid="iro.audit_pre")
        post_save.connect(audit.record_account_change, sender=User, dispatch_uid="iro.audit_user")
        for token_model in (Token, TokenProxy):  # TokenProxy: DRF's admin for tokens
            post_save.connect(
                audit.record_token_created,
                sender=token_model,
                dispatch_uid=f"iro.audit_{token_model.__name__}",
            )
            post_delete.connect(
                audit.record_token_deleted,
                sender=token_model,
                dispatch_uid=f"iro.audit_{token_model.__name__}_del",
            )

        user_logged_in.connect(mark_session_refreshed, dispatch_uid="iro.session_refreshed")
        navigation.register_core_navigation()
        home_panels.register_home_panels()
        # Runs after every app's migrate, so permissions of apps migrated later are picked up.
        post_migrate.connect(sync_role_permissions, dispatch_uid="iro.sync_role_permissions")
        post_migrate.connect(
            ensure_settings_row, sender=self, dispatch_uid="iro.ensure_settings_row"
        )
