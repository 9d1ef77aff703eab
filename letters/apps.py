from django.apps import AppConfig

from iro.roles import Role

_WRITE = [
    "letters.view_myiroletter",
    "letters.view_childrecord",
    "letters.add_childrecord",
    "letters.change_childrecord",
]


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = "Writing to the child"
    default_auto_field = "django.db.models.BigAutoField"
    # IROs write their own profile, read their children's "my IRO" letters and write review
    # records to the child; team managers read their team's profiles and do the same work.
    # Administrators keep the age-band templates. No one else reads a child's letter: not
    # performance officers, board members, heads of service or escalation responders.
    role_permissions: dict = {
        Role.IRO: ["letters.change_iroprofile", *_WRITE],
        Role.TEAM_MANAGER: ["letters.view_iroprofile", *_WRITE],
        Role.ADMINISTRATOR: [
            "letters.view_childrecordtemplate",
            "letters.change_childrecordtemplate",
        ],
    }

    def ready(self) -> None:
        from letters import hooks

        hooks.connect()
