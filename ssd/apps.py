from django.apps import AppConfig


class SsdConfig(AppConfig):
    name = "ssd"
    verbose_name = "Case system data (Standard Safeguarding Dataset)"
    default_auto_field = "django.db.models.BigAutoField"
