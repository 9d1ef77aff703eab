from django.apps import AppConfig


class EscalationsConfig(AppConfig):
    name = "escalations"
    verbose_name = "IRO concerns and escalations"
    default_auto_field = "django.db.models.BigAutoField"
    role_permissions: dict = {}
