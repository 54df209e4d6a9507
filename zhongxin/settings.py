"""Zhongxin settings, read from the environment (12-factor).

Embedded mode (no variables set): SQLite in the project folder and Celery on kombu's filesystem
transport, so `make run` needs no external service. Production sets DATABASE_URL, REDIS_URL,
SECRET_KEY, ALLOWED_HOSTS and DEBUG=0.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from zhongxin.env import envbool, envint, envlist

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.getenv("ZHONGXIN_VAR_DIR", BASE_DIR / "var"))

DEBUG = envbool("DEBUG", "0")
# Without SECRET_KEY a well-known development key is used; `check --deploy` flags it as insecure.
SECRET_KEY = os.getenv("SECRET_KEY") or "django-insecure-zhongxin-development-key-never-use-in-production"
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "mptt",
    "guardian",
    "axes",
    "auditlog",
    "csp",
    "grid",
    "intake",
    "dispatch",
    "mediation",
    "analytics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # A dropped database connection answers 503 "nothing was saved" instead of a server error.
    "zhongxin.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhongxin.urls"
WSGI_APPLICATION = "zhongxin.wsgi.application"

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
                "zhongxin.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", "0"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded mode runs web and worker side by side: wait for the write lock instead of failing;
    # write-ahead logging lets pages read while the worker writes, and commits without a sync each.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out users before checking passwords
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
ANONYMOUS_USER_NAME = None  # guardian: no anonymous object grants

# Content-Security-Policy (django-csp): every script, style, font and chart comes from our own origin,
# never a CDN and never inline, so the policy can be strict.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Login lockout (django-axes): 5 failures for one username from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", "30") / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "0")

# Audit trail (django-auditlog): who changed what, from which address. Lifecycle steps are recorded once,
# as dispatch CaseEvents, so the case's lifecycle fields are left out here.
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {
        "model": "intake.Case",
        "exclude_fields": [
            "status",
            "color",
            "handling_center",
            "handling_region",
            "assignee",
            "assigned_department",
            "version",
            "repeat_count",
        ],
    },
    {"model": "intake.Party", "mask_fields": ["id_number", "phone"]},
    "intake.CaseParty",
    "intake.Attachment",
    "intake.Category",
    "grid.Center",
    "grid.Department",
    "grid.RotaPeriod",
    "grid.Window",
    "grid.GridCell",
    "grid.StaffProfile",
    "grid.CalendarOverride",
    {"model": "auth.User", "exclude_fields": ["password", "last_login"]},
    "auth.Group",
    "guardian.UserObjectPermission",  # invitations onto single cases beyond a jurisdiction
)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media-not-public/"  # attachments are served only through permission-checked views

# Real region data lives beside the project (../shared/data), never copied into the repo.
REGIONS_FILE = Path(
    os.getenv("ZHONGXIN_REGIONS_FILE", BASE_DIR.parent / "shared" / "data" / "regions.csv.gz")
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON with a size and a depth limit (zhongxin.parsers); forms for the browsable API.
    "DEFAULT_PARSER_CLASSES": [
        "zhongxin.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # DRF's handler, plus an oversized or over-full body as a JSON 413/400 instead of an HTML page.
    "EXCEPTION_HANDLER": "zhongxin.api_errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    # Rate limits per user (and per address for anonymous callers), counted in the shared cache.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.getenv("API_RATE_ANON", "60/minute"),
        "user": os.getenv("API_RATE_USER", "600/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Zhongxin API",
    "DESCRIPTION": "综治中心 API: tier tree, intake, dispatch, mediation, analytics.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # A deadline's kind and state appear in several components (a case's clocks, the overdue list).
    "ENUM_NAME_OVERRIDES": {
        "DeadlineKindEnum": "dispatch.choices.DeadlineKind",
        "DeadlineStateEnum": "dispatch.choices.DeadlineState",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # The one error shape as one component, referenced by every operation's 4xx responses.
        "zhongxin.schema.error_responses",
    ],
}

# Celery: Redis when REDIS_URL is set; otherwise kombu's filesystem transport, which really queues
# (and delays eta tasks) on one machine without any server.
REDIS_URL = os.getenv("REDIS_URL", "")
CELERY_BROKER_URL = os.getenv("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
CELERY_FILESYSTEM_QUEUE = VAR_DIR / "celery"
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FILESYSTEM_QUEUE),
        "data_folder_out": str(CELERY_FILESYSTEM_QUEUE),
        "control_folder": str(CELERY_FILESYSTEM_QUEUE / "control"),
        "polling_interval": 0.1,  # the folder is polled; a message per poll
    }
else:
    # Redis redelivers a task not acknowledged within this time (eta tasks waiting in a worker included);
    # every handler re-checks state with compare-and-set, so a redelivery is harmless.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", "3600")}
CELERY_TASK_DEFAULT_QUEUE = os.getenv("CELERY_QUEUE", "celery")
# The sweeps (the safety net under every timer) get a queue of their own, which workers serve in turn
# with the default one: a flood of timer tasks never delays them.
CELERY_SWEEP_QUEUE = f"{CELERY_TASK_DEFAULT_QUEUE}-sweeps"
CELERY_TASK_QUEUES = (
    Queue(CELERY_TASK_DEFAULT_QUEUE, routing_key=CELERY_TASK_DEFAULT_QUEUE),
    Queue(CELERY_SWEEP_QUEUE, routing_key=CELERY_SWEEP_QUEUE),
)
CELERY_TASK_ROUTES = {
    "dispatch.sweep_deadlines": {"queue": CELERY_SWEEP_QUEUE},
    "analytics.mark_overdue": {"queue": CELERY_SWEEP_QUEUE},
    "grid.check_holiday_calendar": {"queue": CELERY_SWEEP_QUEUE},
}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # The safety net under the per-deadline eta tasks: finds every due deadline in one indexed query.
    "sweep-deadlines": {"task": "dispatch.sweep_deadlines", "schedule": 60.0},
    # Counts cases overdue in the dashboards' open-case rollup once their 5-working-day limit passes.
    "mark-overdue": {"task": "analytics.mark_overdue", "schedule": 60.0},
    # Admins are told early when the official holiday calendar does not know next year yet.
    "check-holiday-calendar": {"task": "grid.check_holiday_calendar", "schedule": crontab(hour=8, minute=0)},
}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "zhongxin_cache"}
    )
}

# Production hardening: on unless DEBUG.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "0" if DEBUG else "1")
SESSION_COOKIE_SECURE = not DEBUG and envbool("SECURE_COOKIES", "1")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = 0 if DEBUG else envint("SECURE_HSTS_SECONDS", "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Shared windows: an idle session ends after 30 minutes, and with the browser.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", "1800")
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# An API JSON body: at most 1 MiB (a case with 50 parties and a 10,000-character description is ~50 KB)
# and 32 levels deep (the deepest real body, a case with its parties, is 3); beyond, 413 / 400.
API_MAX_BODY_BYTES = 1024 * 1024
API_MAX_JSON_DEPTH = 32
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
}
