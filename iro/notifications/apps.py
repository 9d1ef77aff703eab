from django.apps import AppConfig

from iro.roles import Role


class NotificationsConfig(AppConfig):
    name = "iro.notifications"
    label = "notifications"
    verbose_name = "Notifications and reminders"
    default_auto_field = "django.db.models.BigAutoField"
    role_permissions: dict = {
        # Administrators see when each reminder rule last ran and what it sent.
        Role.ADMINISTRATOR: ["notifications.view_rulerun"],
    }

    def ready(self) -> None:
        from iro import reminders, tasks
        from iro.signals import notifications_to_email

        reminders.register()
        notifications_to_email.connect(
            tasks.queue_notification_emails, dispatch_uid="iro.queue_notification_emails"
        )
