"""Production: DEBUG off, secrets and hosts from the environment, secure cookies, HSTS.

Production never starts the embedded PostgreSQL: the required variables are checked before the
shared settings are read (base.py starts pgserver when DATABASE_URL is unset), and one message
names every one that is missing.
"""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

REQUIRED = {
    "DATABASE_URL": "the PostgreSQL database (postgresql://user:password@host:5432/name)",
    "SECRET_KEY": "a long random secret key",
    "ALLOWED_HOSTS": "the host names the service answers on, separated by commas",
}
_missing = [name for name in REQUIRED if not (env_str(name) or "").strip(", ")]
if _missing:
    raise ImproperlyConfigured(
        "Production settings need these environment variables, which are not set: "
        + "; ".join(f"{name} ({REQUIRED[name]})" for name in _missing)
        + ". Production never starts the embedded database."
    )

from config.settings.base import *  # noqa: E402, F403

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY", required=True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

# Links in emails must open the service. SITE_URL when set; otherwise https:// and the first host
# of ALLOWED_HOSTS (production is served over HTTPS behind its proxy). A wildcard host ("*" or
# ".example.gov.uk") names no address to link to, so then SITE_URL is required.
SITE_URL = env_str("SITE_URL", "").rstrip("/")
if SITE_URL and not SITE_URL.startswith(("https://", "http://")):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"SITE_URL={SITE_URL!r} must start with https:// (or http://).")
if not SITE_URL:
    if ALLOWED_HOSTS[0] == "*" or ALLOWED_HOSTS[0].startswith("."):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "SITE_URL must be set (the address links in emails start with) when the first of "
            "ALLOWED_HOSTS is a wildcard."
        )
    SITE_URL = f"https://{ALLOWED_HOSTS[0]}"

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# whitenoise serves the collected static files from gunicorn.
MIDDLEWARE = [
    MIDDLEWARE[0],  # noqa: F405 - SecurityMiddleware stays first
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[1:],  # noqa: F405
]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MAILERS = {
    "default": {
        "BACKEND": env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25, minimum=1),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
        },
    }
}
# JSON only: no browsable API (its forms list records) in production.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_RENDERER_CLASSES": API_RENDERERS_JSON_ONLY,  # noqa: F405
}
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 1, minimum=0)

# --- Cost per request: database connection pool and cached templates ---------------------------
# Django's psycopg pool keeps connections open in each gunicorn worker process and hands one to a
# request, instead of a connection being opened (or health-checked) per request. The pool is per
# process: gunicorn's workers × DB_POOL_MAX_SIZE (plus the report's second connection, which
# REPORT_WORKERS=2 opens in a thread) must stay under PostgreSQL's max_connections, or under
# PgBouncer's client limit when the service runs behind it. gunicorn runs gthread workers
# (config/gunicorn.conf.py), but only ADMISSION_MAX_IN_FLIGHT requests of a process reach the
# database (iro.admission refuses the rest first), each with at most two connections (the
# request's and the report's): the default size is twice that. Pooling replaces persistent connections:
# CONN_MAX_AGE must be 0 with a pool. DB_POOL=off turns it off (then CONN_MAX_AGE=60 as before).
DB_POOL = env_bool("DB_POOL", True)
if DB_POOL:
    _pool = {
        "min_size": env_int("DB_POOL_MIN_SIZE", 1, minimum=0),
        "max_size": env_int(
            "DB_POOL_MAX_SIZE",
            2 * max(1, ADMISSION_MAX_IN_FLIGHT),  # noqa: F405
            minimum=1,
        ),
        # A request waits this long for a free connection before failing with an error.
        "timeout": env_int("DB_POOL_TIMEOUT_SECONDS", 10, minimum=1),
    }
    for _alias in [a for a in ("default", "progress", "replica") if a in DATABASES]:  # noqa: F405
        DATABASES[_alias] = {  # noqa: F405
            **DATABASES[_alias],  # noqa: F405
            "CONN_MAX_AGE": 0,
            "OPTIONS": {**DATABASES[_alias]["OPTIONS"], "pool": dict(_pool)},  # noqa: F405
        }

# The cached template loader, named here rather than left to Django's default with DEBUG off:
# each worker compiles a template once and keeps it, instead of reading and parsing it per request.
TEMPLATES = [
    {
        **TEMPLATES[0],  # noqa: F405
        "APP_DIRS": False,
        "OPTIONS": {
            **TEMPLATES[0]["OPTIONS"],  # noqa: F405
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
        },
    }
]
