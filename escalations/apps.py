from django.apps import AppConfig

from iro.roles import RESPONDER_ROLES, Role

# What every role that may be named as an IRP stage's responder needs (iro.roles.RESPONDER_ROLES).
_RESPOND = ["escalations.view_escalation", "escalations.respond_escalation"]


def ensure_reference_rows(*, apps=None, using="default", **kwargs) -> None:
    """The settings row and the default stage ladder that a data migration writes, written again
    after every migrate and every flush (a flush empties the tables and sends post_migrate,
    migrations do not run again). A ladder already configured is left as it is."""
    from django.apps import apps as installed

    from escalations.models import DEFAULT_LADDER

    apps = apps or installed  # a flush sends no migration state: the models as installed
    try:
        settings_model = apps.get_model("escalations", "EscalationSettings")
        stage_model = apps.get_model("escalations", "StageDefinition")
    except LookupError:  # migrated back before the tables
        return
    settings_model.objects.using(using).get_or_create(pk=1)
    if not stage_model.objects.using(using).exists():
        stage_model.objects.using(using).bulk_create(
            stage_model(order=order, name=name, responder_level=level, response_working_days=5)
            for order, name, level in DEFAULT_LADDER
        )


class EscalationsConfig(AppConfig):
    name = "escalations"
    verbose_name = "IRO concerns and escalations"
    default_auto_field = "django.db.models.BigAutoField"

    role_permissions = {
        Role.IRO: [
            "escalations.add_concern",
            "escalations.view_concern",
            "escalations.add_escalation",
            "escalations.view_escalation",
        ],
        Role.TEAM_MANAGER: [
            "escalations.view_concern",
            "escalations.view_escalation",
            "escalations.view_all_escalations",
        ],
        **{role: list(_RESPOND) for role in RESPONDER_ROLES},
        Role.ADMINISTRATOR: [
            "escalations.view_stagedefinition",
            "escalations.add_stagedefinition",
            "escalations.change_stagedefinition",
            "escalations.view_escalationsettings",
            "escalations.change_escalationsettings",
        ],
    }

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(
            ensure_reference_rows, sender=self, dispatch_uid="escalations.reference_rows"
        )
        from escalations import panels, reminders, synthetic
        from escalations.selectors import child_ids_addressed_to
        from iro.registry import NavItem, registry

        registry.add("extra_visible_child_ids", child_ids_addressed_to)
        registry.add(
            "nav",
            NavItem(
                "Escalations",
                "escalations:home",
                panels.can_use_escalations,
                order=50,
                active_prefix="/escalations/",
            ),
        )
        for role in RESPONDER_ROLES:
            registry.add("home_panels", panels.queue_panel, role=role)
        registry.add("home_panels", panels.iro_panel, role=Role.IRO)
        registry.add("home_panels", panels.manager_panel, role=Role.TEAM_MANAGER)
        registry.add("child_sections", panels.child_section)
        registry.add("timeline", panels.child_timeline)
        reminders.register()
        registry.add("demo_data", synthetic.demo_overdue_irp)
        registry.add("synthetic_data", ("escalations", synthetic.generate))
