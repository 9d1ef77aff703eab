"""Settings for the test suite: real PostgreSQL (embedded or DATABASE_URL), real broker URL."""

from config.env import env_str
from config.settings.base import *  # noqa: F403

DEBUG = False
# Fast hashing keeps factories quick; production uses Argon2 (tested separately).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# A Celery worker started by the integration test writes its emails where the test can read them.
if env_str("EMAIL_FILE_PATH", ""):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": env_str("EMAIL_FILE_PATH", "")},
        }
    }
AXES_FAILURE_LIMIT = 5
# The browsable API is on here (as with DEBUG in development) so that its forms are tested too.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": API_RENDERERS_BROWSABLE,  # noqa: F405
}
