from django.apps import AppConfig

from iro.roles import Role

_VIEW = [
    "protection.view_strategydiscussion",
    "protection.view_conference",
    "protection.view_protectionplan",
    "protection.view_coregroupmeeting",
]
_WORK = [
    "protection.add_strategydiscussion",
    "protection.add_conference",
    "protection.change_conference",
    "protection.change_protectionplan",
    "protection.add_coregroupmeeting",
]


class ProtectionConfig(AppConfig):
    name = "protection"
    verbose_name = "Child protection"
    default_auto_field = "django.db.models.BigAutoField"
    # IROs chair conferences and record outcomes for their own children; team managers do the
    # same for every child and see the panel lists; performance officers read plans and lists.
    role_permissions = {
        Role.IRO: [*_VIEW, *_WORK, "protection.view_cp_panel_lists"],
        Role.TEAM_MANAGER: [*_VIEW, *_WORK, "protection.view_cp_panel_lists"],
        Role.PERFORMANCE_OFFICER: [*_VIEW, "protection.view_cp_panel_lists"],
        Role.HEAD_OF_SERVICE: [],
        Role.BOARD_MEMBER: [],
        Role.ADMINISTRATOR: [],
    }

    def ready(self) -> None:
        from protection import hooks

        hooks.register()
