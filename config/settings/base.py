"""Settings shared by every environment. Values come from the environment and fail loudly."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.env import env_bool, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env_str("IRO_DATA_DIR", str(BASE_DIR / ".data")))

SECRET_KEY = env_str("SECRET_KEY", "insecure-local-key-for-development-only-0123456789")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "iro.admin_site.ServiceAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_forms_gds",
    "axes",
    "simple_history",
    "iro",
    "iro.notifications",
    "reviews",
    "protection",
    "escalations",
    "letters",
    "feedback",
    "reporting",
    "ssd",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Values worked out once per request (the settings row, the manager's team, access sets).
    "iro.request_memo.RequestMemoMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Overload: refuse at once (503 busy) before sessions, the database or the view (issue 34).
    "iro.admission.AdmissionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "iro.middleware.SessionIdleRefreshMiddleware",
    # Pages, API answers and exports for a signed-in user carry child data: never stored.
    "iro.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the outcome of authentication in the views above it.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "iro.context_processors.service",
                "iro.context_processors.notifications",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
# DATABASE_URL selects an external PostgreSQL; without it the embedded pgserver in .data/ is used.
_database_url = env_url("DATABASE_URL", schemes=("postgres", "postgresql"))
if _database_url is None:
    from config.embedded_db import database_url as _embedded_url

    _database_url = _embedded_url(DATA_DIR)
    EMBEDDED_DATABASE = True
else:
    EMBEDDED_DATABASE = False
DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
# PostgreSQL's JIT compiler costs hundreds of milliseconds on the service's short page queries
# whenever the planner's estimate is high; it pays off only for long analytical scans.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# Check a kept connection before each request reuses it: after a database restart the first request
# of each worker reconnects instead of failing on a dead connection.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME", "test_iro")}
# A second connection to the same database, for progress that long imports write while their
# own transaction is still open (so the page can show it). Tests mirror it onto "default".
DATABASES["progress"] = {
    **DATABASES["default"],
    "CONN_MAX_AGE": 0,
    "TEST": {"MIRROR": "default"},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The annual report computes the year and the year before on this many database connections at
# once (2 or 1), reading one exported snapshot. 1 keeps a report on its request's connection.
REPORT_WORKERS = env_int("REPORT_WORKERS", 2, minimum=1)

# --- Read replica for reporting -----------------------------------------------------------------
# With REPLICA_DATABASE_URL (a streaming replica of DATABASE_URL), figure computations (the annual
# report, dashboards, scorecards, exports, snapshots) read from it; every write and every case page
# stays on the primary (iro.db_router). REPORTING_DATABASE names the connection figures read from.
_replica_url = env_url("REPLICA_DATABASE_URL", schemes=("postgres", "postgresql"))
REPORTING_DATABASE = "default"
if _replica_url:
    DATABASES["replica"] = {
        **dj_database_url.parse(_replica_url, conn_max_age=60),
        "OPTIONS": dict(DATABASES["default"]["OPTIONS"]),
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
    REPORTING_DATABASE = "replica"
DATABASE_ROUTERS = ["iro.db_router.ReportingReplicaRouter"]

# --- Behind PgBouncer ---------------------------------------------------------------------------
# PgBouncer in transaction pooling mode hands each transaction to any server connection, so a
# server-side cursor (which lives across transactions) would be lost: set DB_BEHIND_PGBOUNCER=true
# there and Django fetches query results client-side instead.
DB_BEHIND_PGBOUNCER = env_bool("DB_BEHIND_PGBOUNCER", False)
if DB_BEHIND_PGBOUNCER:
    for _db in DATABASES.values():
        _db["DISABLE_SERVER_SIDE_CURSORS"] = True

# --- Overload: admission control and the database deadline --------------------------------------
# Kept apart from the database block above. Past the knee (docs/operations.md, README), a request
# that has already waited longer than its budget, or that finds its process over its in-flight
# limit, is refused at once with 503 and Retry-After by iro.admission.AdmissionMiddleware before any
# view runs, so nothing is half-saved. /health/ and the sign-in page are exempt.
# Time a request may wait (from the proxy's X-Request-Start, else from when the worker read it)
# before it is refused: beyond this the person would rather be told to try again.
ADMISSION_QUEUE_BUDGET_MS = env_int("ADMISSION_QUEUE_BUDGET_MS", 500, minimum=0)
# Requests one process serves at once: its other gthread threads (config/gunicorn.conf.py) only
# accept and refuse. 2 keeps one request ready while one runs; more would share the process's GIL.
# 0 refuses everything except the exempt paths (used by the tests).
ADMISSION_MAX_IN_FLIGHT = env_int("ADMISSION_MAX_IN_FLIGHT", 2, minimum=0)
ADMISSION_RETRY_AFTER_SECONDS = env_int("ADMISSION_RETRY_AFTER_SECONDS", 5, minimum=1)
ADMISSION_EXEMPT_PATHS = ("/health/", "/accounts/login/", "/static/")
# The per-request deadline in PostgreSQL: a web request's statement is cancelled after this many
# milliseconds and the person sees the busy page (503), not an error (500). Celery workers and
# management commands (imports, the annual report, data generation) take DB_JOB_STATEMENT_TIMEOUT_MS
# instead (0 = no limit), set by config.db_timeouts.use_job_statement_timeout when they start.
DB_STATEMENT_TIMEOUT_MS = env_int("DB_STATEMENT_TIMEOUT_MS", 5000, minimum=0)
DB_JOB_STATEMENT_TIMEOUT_MS = env_int("DB_JOB_STATEMENT_TIMEOUT_MS", 0, minimum=0)
for _database in DATABASES.values():
    _options = _database.setdefault("OPTIONS", {})
    if "statement_timeout" not in _options.get("options", ""):  # aliases may share OPTIONS
        _options["options"] = (
            f"{_options.get('options', '')} -c statement_timeout={DB_STATEMENT_TIMEOUT_MS}".strip()
        )

# --- Cache, broker ------------------------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", schemes=("redis", "rediss"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "iro",
            # Fail fast when Redis is down or stalled instead of holding a web worker.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = (
    env_url("CELERY_BROKER_URL", schemes=("redis", "rediss", "filesystem", "amqp", "memory"))
    or REDIS_URL
    or "filesystem://"
)
# The web side publishes with a short timeout and no retries (iro.tasks.enqueue), so a broker
# that is down costs a request at most a couple of seconds and never an error.
BROKER_TIMEOUT_SECONDS = 2
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT_SECONDS
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {
    "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
    "socket_timeout": 10,
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue = DATA_DIR / "celery"
    for _sub in ("queue", "processed", "control"):
        (_queue / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue / "queue"),
        "data_folder_out": str(_queue / "queue"),
        "processed_folder": str(_queue / "processed"),
        # Exchange tables; kombu's default is a "control" folder in the working directory.
        "control_folder": str(_queue / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Europe/London"
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# The one place the reminder schedule is declared: daily rules early in the morning (and the
# digest after them), escalation rules every hour. The worker also runs both sets once when it
# starts (config.celery_app: worker_ready), so a fresh start or a restart after downtime catches up.
CELERY_BEAT_SCHEDULE: dict = {
    "reminders-daily": {
        "task": "iro.run_reminder_rules",
        "schedule": crontab(hour=6, minute=30),
        "args": ("daily",),
    },
    "reminders-hourly": {
        "task": "iro.run_reminder_rules",
        "schedule": crontab(minute=5),
        "args": ("hourly",),
    },
    "notification-digests": {
        "task": "iro.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # The cached live board dashboard and scorecard, worked out again every 4 minutes (inside
    # their 5-minute cache lifetime), so the first manager of the day does not wait for them.
    "reporting-warm-dashboards": {
        "task": "reporting.warm_dashboards",
        "schedule": 240.0,
        "options": {"expires": 200},
    },
    # The nightly sync from the case system's SSD extract (SSD_SYNC_SOURCE; nothing when unset).
    "ssd-nightly-sync": {
        "task": "ssd.nightly_sync",
        "schedule": crontab(hour=2, minute=15),
    },
    # A return uploaded while the broker was down waits as "queued": sent again from here.
    "reporting-requeue-waiting-imports": {
        "task": "reporting.returns.requeue_waiting_imports",
        "schedule": 300.0,
        "options": {"expires": 240},
    },
}
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
REMINDERS_RUN_ON_WORKER_START = env_bool("REMINDERS_RUN_ON_WORKER_START", True)

# --- Authentication -----------------------------------------------------------------------------
AUTH_USER_MODEL = "iro.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "iro.auth_backends.ServiceModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Idle timeout: the session expires after this many minutes without a request. Activity pushes
# the expiry on (iro.middleware.SessionIdleRefreshMiddleware), saving the session at most once a
# minute rather than on every request, so the timeout is exact to within that minute.
# Read from the cache, written to the cache and the database (iro.sessions).
SESSION_ENGINE = "iro.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=5) * 60
SESSION_REFRESH_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
# Two locks: one username from one address (the usual mistyped password), and one address across
# every username (one password tried against many accounts), with a higher limit of its own.
AXES_IP_FAILURE_LIMIT = env_int("LOGIN_IP_FAILURE_LIMIT", 20, minimum=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "iro.login_throttle.LoginThrottleHandler"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# --- Browser security headers -------------------------------------------------------------------
# Content-Security-Policy: scripts, styles, images and fonts only from the service itself; no
# inline script or style (JavaScript lives in static/js), no plugins, no framing, forms post only
# to the service. Swagger UI's assets are served locally by drf-spectacular-sidecar.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Permissions-Policy: the service uses no device or browser feature beyond the page itself.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded files (the IROs' photos for children, letters.photos): outside the static files and
# never served directly, only through the pages that check who may see them.
MEDIA_ROOT = Path(env_str("IRO_MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Forms --------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# --- API ----------------------------------------------------------------------------------------
# The browsable API (HTML forms over the API) is a development aid: on only with DEBUG. Production
# answers JSON only; the documentation is at /api/docs/ for signed-in users.
API_RENDERERS_JSON_ONLY = ["rest_framework.renderers.JSONRenderer"]
API_RENDERERS_BROWSABLE = [
    *API_RENDERERS_JSON_ONLY,
    "rest_framework.renderers.BrowsableAPIRenderer",
]
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": API_RENDERERS_BROWSABLE if DEBUG else API_RENDERERS_JSON_ONLY,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "iro.schema.ServiceAutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["iro.throttling.ServiceUserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env_str("API_RATE_LIMIT", "2000/hour")},
    "DATE_INPUT_FORMATS": ["iso-8601"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "IRO service API",
    "DESCRIPTION": "Children, care episodes, allocations, reviews, conferences and escalations.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the installed sidecar package, not a CDN (the CSP allows only 'self').
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Several apps have a field called "status"; give each choice set its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "MeetingStatusEnum": "iro.models.meetings.MeetingStatus",
        # Reviews and conferences share one lifecycle: due, booked, held, cancelled.
        "MeetingRecordStatusEnum": "reviews.models.ReviewStatus",
        "ConcernStatusEnum": "escalations.models.ConcernStatus",
    },
}

# --- Email --------------------------------------------------------------------------------------
MAILERS = {
    "default": {
        "BACKEND": env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "iro-service@localhost")
# Links in emails are made absolute with this address.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# --- Feedback after a meeting (feedback app) ---------------------------------------------------
# How long a feedback link works after the outcome is recorded; who sends links by email or text
# (feedback.senders: email through the mail backend above, text messages to the log by default);
# how often one address may call the public form.
FEEDBACK_LINK_DAYS = env_int("FEEDBACK_LINK_DAYS", 28, minimum=1)
FEEDBACK_SENDER = env_str("FEEDBACK_SENDER", "feedback.senders.ConsoleSender")
FEEDBACK_FORM_RATE = env_str("FEEDBACK_FORM_RATE", "30/minute")

# --- Service ------------------------------------------------------------------------------------
SERVICE_NAME = env_str("SERVICE_NAME", "IRO service")
LOCAL_AUTHORITY_NAME = env_str("LOCAL_AUTHORITY_NAME", "Local authority")
LOCAL_AUTHORITY_CODE = env_str("LOCAL_AUTHORITY_CODE", "E09000027")  # ONS code, for returns
LOCAL_AUTHORITY_LEA = env_str("LOCAL_AUTHORITY_LEA", "318")  # DfE 3-digit LA number

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "pgserver": {"level": "WARNING"}},
}

if not SECRET_KEY or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long.")

# The service's reporting span: reference data (population estimates, benchmarks, by year) is
# accepted from this year to the current one (iro.validators.reporting_years). 2004 is the year
# the IRO role became statutory (Adoption and Children Act 2002, s118, in force September 2004).
REPORTING_FIRST_YEAR = 2004

# SSDA903 return import (reporting.returns.importer): limits checked before and while reading an
# upload, so that a crafted file is refused before it fills a worker's memory. Sizes in bytes.
# Standard Safeguarding Dataset extracts (ssd app): limits for one extract (a folder, zip or
# schema of SSD tables), where the nightly sync reads from, and which involvement roles are IRO
# allocations ("CODE=cla,CODE2=cp"; never guessed).
SSD_IMPORT_MAX_BYTES = env_int("SSD_IMPORT_MAX_BYTES", 2 * 1024 * 1024 * 1024)
SSD_IMPORT_MAX_ROWS = env_int("SSD_IMPORT_MAX_ROWS", 5_000_000)
SSD_IMPORT_MAX_MEMBERS = env_int("SSD_IMPORT_MAX_MEMBERS", 100)
SSD_SYNC_SOURCE = env_str("SSD_SYNC_SOURCE", "")
SSD_SYNC_SCHEMA = env_str("SSD_SYNC_SCHEMA", "")
SSD_INVOLVEMENT_ROLES = dict(
    pair.split("=", 1) for pair in env_str("SSD_INVOLVEMENT_ROLES", "").split(",") if "=" in pair
)
RETURN_IMPORT_MAX_UPLOAD_BYTES = env_int("RETURN_IMPORT_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
# Files in a zip (ten years of the four files is 40).
RETURN_IMPORT_MAX_MEMBERS = env_int("RETURN_IMPORT_MAX_MEMBERS", 60)
# What the CSV files may add up to once uncompressed (declared in the zip and counted as read).
RETURN_IMPORT_MAX_BYTES = env_int("RETURN_IMPORT_MAX_BYTES", 200 * 1024 * 1024)
# Data rows across every file of one upload: a year at `la` is about 12,000, and reading holds
# about 1.2 KB a row until the import is applied, so 150,000 rows keep reading under 250 MB.
RETURN_IMPORT_MAX_ROWS = env_int("RETURN_IMPORT_MAX_ROWS", 150_000)
