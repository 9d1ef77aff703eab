"""Local running (`make run`): debug on, embedded services by default."""

from iro.env import env_bool
from iro.settings.base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_RENDERER_CLASSES": (
        API_RENDERERS_BROWSABLE if DEBUG else API_RENDERERS_JSON_ONLY  # noqa: F405
    ),
}
