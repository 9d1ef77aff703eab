"""Local running (`make run`): debug on, embedded services by default."""

from config.env import env_bool, env_int
from config.settings.base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
# Emails (notifications, digests) are written as files under .data/mail/ when run locally.
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(DATA_DIR / "mail")},  # noqa: F405
    }
}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_RENDERER_CLASSES": (
        API_RENDERERS_BROWSABLE if DEBUG else API_RENDERERS_JSON_ONLY  # noqa: F405
    ),
}

# One runserver process serves every request of `make run` (its threads share one process), so the
# per-process admission limit sized for gunicorn's workers would refuse a second browser tab.
ADMISSION_MAX_IN_FLIGHT = env_int("ADMISSION_MAX_IN_FLIGHT", 16, minimum=0)
