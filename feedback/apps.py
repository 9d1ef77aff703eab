from django.apps import AppConfig

from iro.roles import Role

_IRO = ["feedback.add_feedbackinvitation", "feedback.view_feedbackresponse"]


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Feedback from children and families"
    default_auto_field = "django.db.models.BigAutoField"
    # IROs make links for their meetings and read the answers about them; team managers do the
    # same for their team and choose quotes for the report. Nobody else reads answers (the
    # figures FB-01, FB-02 and FB-05 are aggregates, read through reporting).
    role_permissions: dict = {
        Role.IRO: list(_IRO),
        Role.TEAM_MANAGER: [*_IRO, "feedback.change_feedbackresponse"],
    }

    def ready(self) -> None:
        from feedback import hooks

        hooks.connect()
