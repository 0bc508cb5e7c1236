"""Settings for the child-protection case engine.

Everything that differs between the demo, tests and production comes from the environment:
DATABASE_URL (SQLite file by default), SECRET_KEY, DEBUG, ALLOWED_HOSTS, SENTRY_DSN; DEPLOY=production
switches on HTTPS-only settings and refuses missing secrets (config/production.py).
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CASEWORK_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
# The demo and tests get a fixed key; production must set one (checked by `check --deploy`).
SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-demo-key-change-me-in-production-0123456789abcdef")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "casework",
    "workflows",
    "permissions",
    "notifications",
    "integrations",
    # Row-level history of the case tables by PostgreSQL trigger (history/, docs/audit.md).
    "pgtrigger",
    "pghistory",
    "history",
    "reports",
    "prevention",
    "evidence",
    "triage",
]

MIDDLEWARE = [
    # Outermost: sees every answer under /api/, including Django's own HTML error pages.
    "config.middleware.ApiErrorMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files with far-future caching, answered here (docs/deploy/gunicorn.md).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # CSP without inline scripts and Cache-Control: no-store on everything else.
    "config.middleware.SecurityHeadersMiddleware",
    # Django's, without a session write on every request (read-only databases, issue 13).
    "config.middleware.IdleSessionMiddleware",
    "config.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "history.middleware.HistoryContextMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "permissions.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a lockout into a response.
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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'casework.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Issue 14, measured back to back (docs/scaling.md "Transitions and HTTP"): a new connection
    # per request cost 10-15 ms of a 25 ms page, so PostgreSQL connections persist by default
    # (CONN_MAX_AGE=0 still turns that off), checked before reuse after a restart of the server.
    # Django's psycopg pool (OPTIONS "pool") would need psycopg_pool and CONN_MAX_AGE=0; with
    # one sync gunicorn worker per process it holds the same one connection, so it is not used.
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if env_bool("DATABASE_SERVER_SIDE_BINDING", False):
        # Server-side parameters let psycopg prepare a statement after its 5th execution
        # (prepare_threshold); off by default: measured, it does not pay here (docs/scaling.md).
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": int(os.environ.get("DATABASE_PREPARE_THRESHOLD", "5"))})
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers on SQLite queue instead of failing at once; BEGIN IMMEDIATE makes
    # every transaction take the write lock up front, the closest SQLite has to a row lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account is refused before its password is even checked.
    "permissions.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"

# Sessions end after 30 minutes without activity, and when the browser closes: shared
# computers in commune offices are the norm.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", 30 * 60))
# Not on every request: config.middleware.IdleSessionMiddleware refreshes the expiry once a minute.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Set SECURE_COOKIES=1 behind HTTPS (every deployment); the demo serves plain HTTP on loopback.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)

# django-axes: five wrong passwords for one account lock it for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
# A whole commune office sits behind one public address: locking by IP would lock out every
# officer because of one person's typos, so accounts are locked, not addresses.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "Bảo vệ trẻ em"

# Vietnamese first: the statutory forms, the law and the users are Vietnamese.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# Hour clocks of Decree 56 (12 hours, 15 days) run in Vietnam's time zone.
TIME_ZONE = "Asia/Ho_Chi_Minh"
# Off: with it on, every integer a template prints is localised, ids included ("1.085" in
# Vietnamese), so a filter's <option value>, a hidden id or a hand-built link broke as soon as
# ids passed 999 (found by the PostgreSQL suite, where ids grow across tests). Amounts group
# their digits explicitly (floatformat:"0g"), which does not depend on this setting.
USE_THOUSAND_SEPARATOR = False
NUMBER_GROUPING = 3
# Vietnamese dates "05/3/2026" everywhere (issue 8): config/formats/<lang>/formats.py.
FORMAT_MODULE_PATH = "config.formats"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
# The demo and tests serve static files straight from the source folders; production serves the
# collected, hashed and compressed copies (config/production.py).
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
# WhiteNoise warns on every start when the collected folder does not exist yet (demo, tests).
try:
    Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
except OSError:  # a read-only checkout: the warning is harmless
    pass

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "permissions.tokens.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "casework.api.errors.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "casework.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["casework.api.throttling.ClientRateThrottle"],
}
# Requests per client (casework/api/throttling.py, docs/api.md "Limits"): a commune office works
# well below these; a runaway script or a leaked key does not.
API_RATE_LIMITS = {"user": "300/min", "anon": "30/min", "integration": "60/min"}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # The rate counters. One process (runserver, the demo) can keep them in memory; production
    # shares them between workers (config/production.py).
    "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Child protection case engine API",
    "DESCRIPTION": "Cases under Decree 56/2017: intake, assessment, plans, approval, tasks, review, closure.",
    "VERSION": "1.0.0",
    # Swagger UI and ReDoc from the sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "casework.api.errors.document_page_errors",
                             "casework.api.errors.document_rate_limits"],
    # The kind of record an offered action acts on (casework.api.serializers.case.OfferRecordSerializer).
    "ENUM_NAME_OVERRIDES": {"OfferRecordKindEnum": ["task", "measure", "order", "transfer"],
                            "ActivityKindEnum": "prevention.states.ActivityKind"},
}

# Evidence files (evidence/): a private folder outside the web root, or any Django storage
# named in EVIDENCE_STORAGE (docs/decisions/0009-evidence-files.md). Include it in backups.
EVIDENCE_DIR = Path(os.environ.get("EVIDENCE_DIR", VAR_DIR / "evidence"))
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_MB", "10")) * 1024 * 1024

# API tokens last one working day; the client asks again (with its second factor if its role needs one).
API_TOKEN_TTL_HOURS = int(os.environ.get("API_TOKEN_TTL_HOURS", "12"))

# Row history (history/): its triggers sit on casework's tables but are declared in history/,
# so they are installed after `migrate` rather than written into casework's migrations.
PGTRIGGER_MIGRATIONS = False
PGTRIGGER_INSTALL_ON_MIGRATE = True

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Notices by e-mail (notifications/channels.py): off unless NOTIFY_BY_EMAIL=1; SMTP from the
# environment. SITE_URL makes the link to the case in a message.
NOTIFY_BY_EMAIL = env_bool("NOTIFY_BY_EMAIL", False)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Bảo vệ trẻ em <no-reply@localhost>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Guardian: no anonymous user object, and no global case permission is ever granted.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# Every log line goes through config/logging.py: structured, and free of child data.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if os.environ.get("DEPLOY") == "production" else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.logging.JsonFormatter"}, "text": {"()": "config.logging.TextFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # Django's own loggers propagate to the root handler (its default handlers would print
        # the raw message and traceback).
        "django": {"handlers": [], "level": os.environ.get("LOG_LEVEL", "WARNING"), "propagate": True},
        # Its DEBUG records quote every SQL parameter (names, dates of birth): never emitted.
        "django.db.backends": {"handlers": [], "level": "INFO", "propagate": True},
    },
}

# DEPLOY=production: HTTPS only, secrets and hosts from the environment, refused if missing.
if os.environ.get("DEPLOY", "demo") == "production":
    from config.production import *  # noqa: F403

from config.sentry import init_sentry  # noqa: E402

init_sentry()
