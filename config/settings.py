"""Hindsight settings: one file, every value from the environment.

The defaults run the embedded mode (SQLite in ``var/``, kombu's filesystem broker under
``var/broker/``) with no environment at all; production sets ``DATABASE_URL``,
``CELERY_BROKER_URL``, ``SECRET_KEY`` and friends. ``.env.example`` lists every setting.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, parse_cache_url, parse_due_days

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HINDSIGHT_VAR_DIR", BASE_DIR / "var"))


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for the development default).")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "postmortems",
    "actions",
    "api",
    "integrations",
    "demo",
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
    # Login is required everywhere but the views marked with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # The signed-in user's display time zone and language (profile), after auth.
    "postmortems.middleware.UserPreferencesMiddleware",
    # Cache-Control: private, no-store for signed-in users (after auth, so login counts).
    "postmortems.private_cache.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
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
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "postmortems.context_processors.navigation",
                "csp.context_processors.nonce",
            ],
            # The date filter keeps the zone abbreviation in the hour a DST change repeats.
            "builtins": ["postmortems.templatetags.zoned_dates"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        # A connection per request costs more than most pages' SQL (measured ~35 ms on
        # PostgreSQL under load); keep it for a minute and check it before reuse.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; the busy timeout waits
    # for a lock instead of failing with "database is locked"; IMMEDIATE transactions
    # take the write lock up front, so a transaction never fails half-way on upgrade
    # (e.g. after a Slack message was posted but before it was marked sent).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # The dashboard's covering index carries INCLUDE columns on PostgreSQL; SQLite builds
    # it on the key column alone, which is all it can use. Not a problem to warn about.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool(
    "DATABASE_JIT", False
):
    # An OLTP app: PostgreSQL's JIT compiles the dashboard's and metrics' aggregates
    # (~100 ms on 100k action items) for queries that take less than that to run.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

# Short-lived figures (the dashboard and metrics pages, see DASHBOARD_CACHE_SECONDS) and the
# version key that makes them stale. Every process of one deployment must share this cache:
# a per-process cache would keep showing a postmortem's title in another worker after it was
# restricted. By default a file-based cache under var/cache/ (all processes of `make run` on
# one machine share it); CACHE_URL=redis://… for several machines (production, CI);
# file:///path for another folder; locmem:// only where one process runs.
CACHE_URL = os.environ.get("CACHE_URL", "")


CACHES = {"default": parse_cache_url(CACHE_URL, VAR_DIR, BASE_DIR)}
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# --- Login throttling (django-axes). Failed logins are counted per user name *and* client
# address in the database, so every web process sees the same count and a lockout of one
# user from one address does not lock anyone else. Unlock: the admin's "Access attempts"
# or `manage.py axes_reset_username NAME` (axes_reset_ip, axes_reset for everything).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30)) or None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_VERBOSE = False

# --- Mail: only for password reset, which is off (no URLs, no links) until EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "hindsight@localhost")
PASSWORD_RESET_ENABLED = bool(EMAIL_HOST)
# Reset requests per client address and per e-mail address, per hour (shared between
# processes when CACHE_URL is set).
PASSWORD_RESET_LIMIT_PER_HOUR = env_int("PASSWORD_RESET_LIMIT_PER_HOUR", 5)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("ko", _("Korean"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security: safe by default, HTTPS settings switchable for a proxy that terminates TLS.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz is probed over plain HTTP by load balancers inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp) on every response: scripts only from our origin
# and with this response's nonce, no inline handlers or styles (behaviour lives in
# static/js, looks in static/css), no plugins, no framing, forms post only to us.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# --- Hindsight
SLACK_WEBHOOK_ALLOWED_HOSTS = env_list("SLACK_WEBHOOK_ALLOWED_HOSTS", "hooks.slack.com")
SLACK_TIMEOUT_SECONDS = float(os.environ.get("SLACK_TIMEOUT_SECONDS", "5"))
# Base of the exponential back-off between Slack delivery tries after a 5xx or timeout
# (about 5, 10, 20, 40 s with jitter); 0 retries at once (tests).
SLACK_RETRY_BACKOFF_SECONDS = env_int("SLACK_RETRY_BACKOFF_SECONDS", 5)
# How long a worker holds a Slack message it is posting; longer than SLACK_TIMEOUT_SECONDS.
# A message whose lease expired (its worker died) is posted again by the re-dispatch.
SLACK_SEND_LEASE_SECONDS = env_int("SLACK_SEND_LEASE_SECONDS", 60)
ACTION_DUE_DAYS = parse_due_days(os.environ.get("ACTION_DUE_DAYS", ""))
REMINDER_DUE_SOON_DAYS = env_int("REMINDER_DUE_SOON_DAYS", 3)
# Fernet key (urlsafe base64 of 32 bytes) for integration secrets kept encrypted (PagerDuty
# signing secrets, tracker tokens); empty: derived from SECRET_KEY.
INTEGRATIONS_ENCRYPTION_KEY = os.environ.get("INTEGRATIONS_ENCRYPTION_KEY", "")
# Largest Slack export zip accepted for the timeline import (it is streamed, not loaded).
SLACK_IMPORT_MAX_BYTES = env_int("SLACK_IMPORT_MAX_BYTES", 200 * 2**20)
# Issue trackers. Tokens may come from here instead of being stored (encrypted) per team.
GITHUB_API_URL = os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
GITHUB_TOKEN = os.environ.get("GITHUB_TOKEN", "")
JIRA_API_TOKEN = os.environ.get("JIRA_API_TOKEN", "")
# Jira sites teams may connect (a team manager types the site: SSRF rules as for Slack).
JIRA_ALLOWED_HOSTS = env_list("JIRA_ALLOWED_HOSTS", "")
TRACKER_TIMEOUT_SECONDS = float(os.environ.get("TRACKER_TIMEOUT_SECONDS", "10"))
TRACKER_RETRY_BACKOFF_SECONDS = env_int("TRACKER_RETRY_BACKOFF_SECONDS", 5)
LINT_MAX_BYTES = 100 * 1024
# --- Bounds: what one request or one postmortem may hold (issue 15). Each is enforced in the
# forms (an error that keeps what was typed) and again in the services.
# The widest date range of a report (metrics, Kaizen, their CSVs): five years.
MAX_REPORT_RANGE_DAYS = env_int("MAX_REPORT_RANGE_DAYS", 5 * 366)
POSTMORTEM_SECTION_MAX_CHARS = env_int("POSTMORTEM_SECTION_MAX_CHARS", 20_000)
TIMELINE_EVENT_MAX_CHARS = env_int("TIMELINE_EVENT_MAX_CHARS", 10_000)
TIMELINE_MAX_EVENTS = env_int("TIMELINE_MAX_EVENTS", 500)
TIMELINE_PASTE_MAX_LINES = env_int("TIMELINE_PASTE_MAX_LINES", 200)
FACTOR_MAX_CHARS = env_int("FACTOR_MAX_CHARS", 20_000)
FACTORS_MAX_PER_POSTMORTEM = env_int("FACTORS_MAX_PER_POSTMORTEM", 100)
COMMENT_MAX_CHARS = env_int("COMMENT_MAX_CHARS", 10_000)
COMMENTS_MAX_PER_POSTMORTEM = env_int("COMMENTS_MAX_PER_POSTMORTEM", 1_000)
ACTION_ITEMS_MAX_PER_POSTMORTEM = env_int("ACTION_ITEMS_MAX_PER_POSTMORTEM", 200)
ACTION_ITEM_NOTES_MAX_CHARS = env_int("ACTION_ITEM_NOTES_MAX_CHARS", 20_000)
KAIZEN_REVIEW_NOTES_MAX_CHARS = env_int("KAIZEN_REVIEW_NOTES_MAX_CHARS", 20_000)

# --- API (Django REST framework) and outgoing webhooks
# Requests per token (or per signed-in user) and minute, counted in the ``default`` cache
# (shared between processes with CACHE_URL); over it the API answers 429 with Retry-After.
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "600/min")
# Days a new personal API token stays valid unless its owner picks another expiry.
API_TOKEN_DEFAULT_DAYS = env_int("API_TOKEN_DEFAULT_DAYS", 90)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.TokenScope",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.IdCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hindsight API",
    "DESCRIPTION": "Postmortems, timelines, contributing factors and action items. "
    "Send `Authorization: Bearer <token>` (tokens are created on your profile page).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Postmortems and action items both have a "status" (and events and items a "kind").
    "ENUM_NAME_OVERRIDES": {
        "PostmortemStatusEnum": "postmortems.models.Postmortem.Status",
        "ActionItemStatusEnum": "actions.models.ActionItem.Status",
        "TimelineEventKindEnum": "postmortems.models.TimelineEvent.Kind",
        "ActionItemKindEnum": "actions.models.ActionItem.Kind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
}
# Outgoing webhooks (Standard Webhooks signatures). Hosts they may point at, read like
# SLACK_WEBHOOK_ALLOWED_HOSTS; empty allows none, so an operator decides where data may go.
WEBHOOK_ALLOWED_HOSTS = env_list("WEBHOOK_ALLOWED_HOSTS", "")
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "5"))
WEBHOOK_RETRY_BACKOFF_SECONDS = env_int("WEBHOOK_RETRY_BACKOFF_SECONDS", 5)
# Deliveries in a row that end failed (after all their tries) before an endpoint is switched off.
WEBHOOK_DISABLE_AFTER_FAILURES = env_int("WEBHOOK_DISABLE_AFTER_FAILURES", 5)

# --- Celery (names map to celery's lowercase settings through namespace="CELERY")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # Redis redelivers unacknowledged messages after this long; we never schedule
    # long countdowns (due dates are stored and swept), so one hour is plenty.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT_SECONDS", 3600)
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "hindsight")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "reminder-sweep": {
        "task": "actions.tasks.reminder_sweep",
        "schedule": crontab(minute=5),
        "options": {"expires": int(timedelta(minutes=55).total_seconds())},
    },
    # The dashboard's stored counts are as of a day: counted again once it changes.
    "dashboard-counts": {
        "task": "actions.tasks.dashboard_counts_rebuild",
        "schedule": crontab(minute=1, hour=0),
        "options": {"expires": int(timedelta(hours=12).total_seconds())},
    },
    "theme-rollup": {
        "task": "actions.tasks.theme_rollup",
        "schedule": crontab(minute=0, hour=6, day_of_week="mon"),
    },
    "slack-uploads-cleanup": {
        "task": "integrations.slack_import.tasks.discard_stale_slack_uploads",
        "schedule": crontab(minute=20, hour=3),
    },
    "slack-outbox-redispatch": {
        "task": "postmortems.tasks.redispatch_slack_messages",
        "schedule": crontab(minute="*/10"),
        "options": {"expires": int(timedelta(minutes=9).total_seconds())},
    },
    "tracker-outbox-resend": {
        "task": "integrations.trackers.tasks.resend_stalled_tracker_messages",
        "schedule": crontab(minute="*/30"),
        "options": {"expires": int(timedelta(minutes=25).total_seconds())},
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
