"""Settings for the test suite: real PostgreSQL (embedded or DATABASE_URL), real broker URL."""

from iro.settings.base import *  # noqa: F403

DEBUG = False
# Fast hashing keeps factories quick; production uses Argon2 (tested separately).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
AXES_FAILURE_LIMIT = 5
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
