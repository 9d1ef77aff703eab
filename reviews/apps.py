from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Looked-after reviews"
    default_auto_field = "django.db.models.BigAutoField"
    role_permissions: dict = {}
