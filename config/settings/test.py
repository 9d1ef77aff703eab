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
# Under pytest-xdist each worker has its own test database (pytest-django adds the worker id to
# its name) and here its own cache keys, so parallel workers never read each other's cache.
_XDIST_WORKER = env_str("PYTEST_XDIST_WORKER", "")
if _XDIST_WORKER and "KEY_PREFIX" in CACHES["default"]:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = f"iro-test-{_XDIST_WORKER}"  # noqa: F405
# The browsable API is on here (as with DEBUG in development) so that its forms are tested too.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": API_RENDERERS_BROWSABLE,  # noqa: F405
}

# Under pytest-xdist each worker has its own test database (pytest-django suffixes its name);
# each gets its own cache keys too, so that one worker's reporting.caching.invalidate() (run
# before every test) never drops the entries another worker's test has just built.
_XDIST_WORKER = env_str("PYTEST_XDIST_WORKER", "")
if _XDIST_WORKER and "KEY_PREFIX" in CACHES["default"]:  # noqa: F405
    CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": f"iro-{_XDIST_WORKER}"}}  # noqa: F405

# The replica connection of the reporting router (iro.db_router), here a second connection to the
# test database. Figures read from it only where a test sets REPORTING_DATABASE="replica".
if "replica" not in DATABASES:  # noqa: F405
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405

# The browser tests' live server is one threaded process serving the page and its requests at
# once; the overload tests set their own limits.
ADMISSION_MAX_IN_FLIGHT = 16

# The feedback form's limit per address: the suite calls it far more often than a person would
# (tests/feedback/test_public_form.py sets a small limit to test it).
FEEDBACK_FORM_RATE = "100000/minute"
