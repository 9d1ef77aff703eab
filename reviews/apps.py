from django.apps import AppConfig

from iro.roles import Role

_VIEW = [
    "reviews.view_review",
    "reviews.view_recommendation",
    "reviews.view_irocontact",
    "reviews.view_midwayreview",
    "reviews.view_monitoringcheck",
]
_WORK = [
    "reviews.change_review",
    "reviews.add_recommendation",
    "reviews.change_recommendation",
    "reviews.add_irocontact",
    "reviews.add_midwayreview",
    "reviews.add_monitoringcheck",
]


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Looked-after reviews"
    default_auto_field = "django.db.models.BigAutoField"
    # IROs do the work; team managers do it too and see every IRO's schedule; performance officers
    # read. Board members, heads of service and administrators get nothing here.
    role_permissions: dict = {
        Role.IRO: [*_VIEW, *_WORK],
        Role.TEAM_MANAGER: [*_VIEW, *_WORK, "reviews.view_schedule"],
        Role.PERFORMANCE_OFFICER: list(_VIEW),
    }

    def ready(self) -> None:
        from reviews import hooks, reminders

        hooks.connect()
        reminders.register()
