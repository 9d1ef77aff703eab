from django.apps import AppConfig

from iro.roles import Role


class SsdConfig(AppConfig):
    name = "ssd"
    verbose_name = "Case system data (Standard Safeguarding Dataset)"
    default_auto_field = "django.db.models.BigAutoField"

    # The performance officer runs syncs, reads their rejected rows (which carry case system ids)
    # and resolves conflicts; the administrator sees that runs happen and their counts only.
    role_permissions: dict = {
        Role.PERFORMANCE_OFFICER: [
            "ssd.view_syncrun",
            "ssd.add_syncrun",
            "ssd.view_syncconflict",
            "ssd.change_syncconflict",
        ],
        Role.ADMINISTRATOR: ["ssd.view_syncrun"],
    }

    def ready(self) -> None:
        from iro.registry import NavItem, registry

        registry.add(
            "nav",
            NavItem(
                "Case system data",
                "ssd:runs",
                lambda user: user.has_perm("ssd.view_syncrun"),
                order=87,  # after Returns, before Access log and Administration
                active_prefix="/case-system/",
            ),
        )
