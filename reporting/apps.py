from django.apps import AppConfig

from iro.roles import Role

_LIVE = ["reporting.view_reports", "reporting.view_published", "reporting.view_drilldown"]


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Reporting"
    default_auto_field = "django.db.models.BigAutoField"
    # Performance officers, team managers and heads of service read live figures and follow
    # them to records (filtered by iro/access.py). Publishing board snapshots is the
    # performance officer's job (with the head of service, who answers for the service); team
    # managers read the figures but do not publish. Performance officers also run the
    # statutory returns; board members read published snapshots only. The post_migrate handler
    # iro.roles.sync_role_permissions applies this to the groups on every migrate.
    role_permissions: dict = {
        # The SSDA903 and CIN returns hold restricted children: downloading them is a permission
        # of its own, given to the role that makes the returns (every download is recorded).
        Role.PERFORMANCE_OFFICER: [
            *_LIVE,
            "reporting.manage_returns",
            "reporting.download_statutory_returns",
            "reporting.publish_snapshot",
            "reporting.view_reportcommentary",
        ],
        Role.TEAM_MANAGER: _LIVE,
        # The head of service writes the annual report's commentary; the performance officer
        # reads it on its page as well as in the report.
        Role.HEAD_OF_SERVICE: [
            *_LIVE,
            "reporting.publish_snapshot",
            "reporting.view_reportcommentary",
            "reporting.add_reportcommentary",
            "reporting.change_reportcommentary",
        ],
        Role.BOARD_MEMBER: ["reporting.view_published"],
        Role.ADMINISTRATOR: [
            "reporting.view_target",
            "reporting.change_target",
            "reporting.add_target",
            "reporting.view_population",
            "reporting.change_population",
            "reporting.add_population",
            "reporting.view_benchmark",
        ],
    }

    def ready(self) -> None:
        import reporting.figures  # noqa: F401  (registers every figure before any lookup by id)
        from iro.registry import NavItem, registry
        from reporting import hooks, synthetic
        from reporting.returns import tasks as returns_tasks
        from reporting.returns.signals import import_run_waiting

        import_run_waiting.connect(
            returns_tasks.queue_import, dispatch_uid="reporting.returns.queue_import"
        )

        registry.add("synthetic_data", ("reporting", synthetic.generate))
        hooks.register()
        registry.add(
            "nav",
            NavItem(
                "Returns",
                "reporting:returns-home",
                lambda user: user.has_perm("reporting.manage_returns"),
                order=85,  # after Reports: the performance officer's home is the reports
                active_prefix="/reporting/returns/",
            ),
        )
