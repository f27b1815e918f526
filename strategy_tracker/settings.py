"""Settings for Strategy Tracker, all read from environment variables.

SQLite is the embedded default; set DATABASE_URL (postgres://user:pass@host:port/name)
to use PostgreSQL. See docs/deployment.md for every variable.
"""

import os
from pathlib import Path
from urllib.parse import urlparse

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATABASE_SCHEMES = ("postgres", "postgresql", "sqlite")


def database_from_url(url: str) -> dict:
    """Turn DATABASE_URL into a DATABASES entry with dj-database-url: postgres:// (with options such
    as ?sslmode=require&connect_timeout=5 passed to the driver) or sqlite:///path."""
    import dj_database_url

    scheme = urlparse(url).scheme
    if scheme not in DATABASE_SCHEMES:
        raise ValueError(f"DATABASE_URL: unsupported scheme {scheme!r} (use postgres:// or sqlite:///)")
    database = dj_database_url.parse(
        url,
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60) if scheme != "sqlite" else 0,
        # A connection kept between requests is checked before it is reused: after a database
        # restart the first request gets a fresh connection instead of an error.
        conn_health_checks=True,
    )
    if database.get("PORT") is not None:
        database["PORT"] = str(database["PORT"])
    return database


DEBUG = envbool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not envbool("ALLOW_INSECURE_SECRET_KEY", False):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off Strategy Tracker will not start with a public key: set "
            "SECRET_KEY to a long random string, e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(50))' "
            "(or DEBUG=1 for development on your own machine)."
        )
    # Development, tests and benchmarks only (DEBUG=1 or ALLOW_INSECURE_SECRET_KEY=1).
    SECRET_KEY = "django-insecure-strategy-tracker-development-key-change-me"
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "crispy_forms",
    "django_tables2",
    "django_filters",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "goals",
    "reports",
    "api",
]

MIDDLEWARE = [
    "goals.operations.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "goals.operations.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "goals.operations.middleware.RequestLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "goals.operations.middleware.SecurityHeadersMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "goals.core.sites.SiteURLMiddleware",  # email links point to the host the request came to
]

ROOT_URLCONF = "strategy_tracker.urls"
WSGI_APPLICATION = "strategy_tracker.wsgi.application"

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
                "goals.context_processors.navigation",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "CONN_HEALTH_CHECKS": True,
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "goals:strategy_list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# nhsuk-frontend's CSS asks for its images at /assets/...; `make setup` copies them there.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if envbool("STATIC_MANIFEST", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Production runs collectstatic and sets STATIC_MANIFEST=1 (hashed, compressed, cached forever);
# development and tests serve straight from static/ through the finders.
WHITENOISE_USE_FINDERS = not envbool("STATIC_MANIFEST", False)
WHITENOISE_MANIFEST_STRICT = False

# Drawn SPC charts (goals.metrics.charts), kept under a digest of everything they are drawn from, so an
# entry never goes stale and nothing needs invalidating. Shared by every worker process and replica
# through the database (`createcachetable`, run by `make migrate`), so no second worker redraws a
# chart; CHART_CACHE_BACKEND names another backend (e.g. django.core.cache.backends.redis.RedisCache
# or ...memcached.PyMemcacheCache) at CACHE_URL. A chart is 60–100 KB: CHART_CACHE_ENTRIES of them.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "charts": {
        "BACKEND": os.environ.get("CHART_CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"),
        "LOCATION": os.environ.get("CACHE_URL", "chart_cache"),
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": envint("CHART_CACHE_ENTRIES", 2000)},
    },
    # What a strategy's pages and packs compute, keyed by its data version (goals.core.caching):
    # shared by every process, so a locked quarter's pages are computed once per installation.
    "pages": {
        "BACKEND": os.environ.get("PAGE_CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"),
        "LOCATION": os.environ.get("PAGE_CACHE_URL", "page_cache"),
        "TIMEOUT": envint("PAGE_CACHE_SECONDS", 60 * 60 * 24 * 7),
        "OPTIONS": {"MAX_ENTRIES": envint("PAGE_CACHE_ENTRIES", 5000)},
    },
}
# HTML compressed (an 90 KB dashboard is ~6 KB gzipped). BREACH: Django masks the CSRF token afresh
# in every response, so the one secret a page carries is never the same twice (docs/deployment.md).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "django.middleware.gzip.GZipMiddleware"
)
WHITENOISE_MAX_AGE = envint("STATIC_MAX_AGE", 60 * 60 * 24 * 30)  # /assets/ and static files: 30 days

# Requests: a form post or upload larger than this is answered with the form again and a message
# (413); below it, form data up to the same size is read and the forms' own limits apply.
REQUEST_MAX_BYTES = envint("REQUEST_MAX_BYTES", 10_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES

# Audit history: reasons (re-opening a quarter, returning an update) are free text, not 100 chars.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# The admin never reverts a row from its history: changes go through the services.
SIMPLE_HISTORY_REVERT_DISABLED = True

CRISPY_ALLOWED_TEMPLATE_PACKS = ("nhsuk",)
CRISPY_TEMPLATE_PACK = "nhsuk"
CRISPY_FAIL_SILENTLY = not DEBUG
DJANGO_TABLES2_TEMPLATE = "django_tables2/nhsuk.html"

# Background work (publishing board packs, emails): django-tasks with its database backend, so the
# queue lives in the app's own database and `manage.py db_worker` runs it (no broker). The tests
# run tasks immediately (tests/conftest.py).
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "strategy-tracker@localhost")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

SERVICE_NAME = os.environ.get("SERVICE_NAME", "Strategy Tracker")

# The largest strategy document (YAML) or workbook (.xlsx) an import reads, in bytes.
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", 5 * 1024 * 1024)

# Production hardening: on whenever DEBUG is off, each switchable for a proxy set-up.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# A strict Content-Security-Policy on every page: scripts and styles only from this site (no
# inline script, style element or style attribute; SPC charts use SVG presentation attributes, colours
# and bar widths are classes of /palette.css). Downloads set their own, stricter policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)

# Logs: one JSON object a line on standard error (LOG_FORMAT=text for a readable console), each with
# the request id; security events (refused permissions, failed sign-ins, altered published files)
# are records of the "security" logger with an "event" name.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "goals.operations.logs.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"security": {"level": os.environ.get("SECURITY_LOG_LEVEL", "INFO")}},
}

# === Accounts: sign-in lockout, session time limits, security log, single sign-on ==================
# (one block, kept together; see docs/deployment.md "Sign-in and accounts")
from datetime import timedelta  # noqa: E402

INSTALLED_APPS += ["axes"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.LoginRequiredMiddleware"),
    "goals.accounts.sessions.SessionTimeoutMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "goals.accounts.security.PermissionLogMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.LoginRequiredMiddleware") + 1,
    "goals.accounts.scope.StrategyScopeMiddleware",  # 404 on a strategy the user has no role on
)
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # last, as django-axes requires
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out sign-in before any backend hashes its password.
    "goals.accounts.backends.LockoutBackend",
    "goals.accounts.backends.LocalPasswordBackend",
    "goals.accounts.oidc.SingleSignOnBackend",  # inert while OIDC_RP_CLIENT_ID is unset
]
# Lockout (django-axes, attempts in the database): AXES_FAILURE_LIMIT wrong passwords in a row for one
# username from one address lock that combination for AXES_COOLOFF_MINUTES (0: until an admin unlocks).
AXES_ENABLED = envbool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 30)) or None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# 1: every attempt during a lock restarts its cool-off (and is written to the database); 0: a locked
# attempt is refused without a write, and the lock ends AXES_COOLOFF_MINUTES after it began.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = envbool("AXES_LOCK_EXTENDS", False)
AXES_LOCKOUT_CALLABLE = "goals.accounts.lockout.locked_out_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False  # our own security log (goals.core.security) records lockouts
# Behind a proxy: how many trusted proxies put the client in X-Forwarded-For (unset: REMOTE_ADDR).
AXES_IPWARE_PROXY_COUNT = envint("AXES_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# SQLite: write-ahead logging, so pages keep reading while a sign-in attempt is being recorded, and
# write transactions that take their lock at the start instead of failing with "database is locked".
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}
    )

# Session time limits (goals.accounts.sessions): signed out after SESSION_IDLE_MINUTES without a request
# and SESSION_LIFETIME_HOURS after signing in; the page warns SESSION_WARNING_SECONDS before.
SESSION_IDLE_TIMEOUT_SECONDS = envint("SESSION_IDLE_MINUTES", 30) * 60
SESSION_LIFETIME_SECONDS = envint("SESSION_LIFETIME_HOURS", 12) * 3600
SESSION_TIMEOUT_WARNING_SECONDS = envint("SESSION_WARNING_SECONDS", 120)
SESSION_COOKIE_AGE = SESSION_LIFETIME_SECONDS
LOGGING["loggers"] = {
    **LOGGING.get("loggers", {}),
    "api.requests": {"level": os.environ.get("API_LOG_LEVEL", "INFO")},  # every API request, by token name
}
API_RATE = os.environ.get("API_RATE", "120/min")  # read-API requests per personal access token

# Single sign-on with OpenID Connect (goals.accounts.oidc; docs/deployment.md "Single sign-on").
# Off while OIDC_RP_CLIENT_ID is unset. Endpoints one by one or from OIDC_OP_DISCOVERY_URL.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_DISCOVERY_URL = os.environ.get("OIDC_OP_DISCOVERY_URL", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
OIDC_USE_PKCE = envbool("OIDC_USE_PKCE", True)
OIDC_TIMEOUT = envint("OIDC_TIMEOUT", 10)
OIDC_CREATE_USER = False  # accounts are matched (goals.accounts.oidc.match_user), never made from nothing
OIDC_AUTHENTICATION_CALLBACK_URL = "goals:sso_callback"
OIDC_EMAIL_VERIFIED_CLAIM = os.environ.get("OIDC_EMAIL_VERIFIED_CLAIM", "email_verified")
OIDC_TRUST_EMAIL = envbool("OIDC_TRUST_EMAIL", False)  # only for a provider whose email is the directory's
OIDC_ROLES_CLAIM = os.environ.get("OIDC_ROLES_CLAIM", "")  # e.g. "roles" (Entra app roles) or "groups"
OIDC_ROLE_MAP = os.environ.get("OIDC_ROLE_MAP", "")  # "StrategyTracker.Admin=strategy_admin,…"
LOGIN_REDIRECT_URL_FAILURE = "goals:sso_refused"
# LOCAL_SIGN_IN=0: single sign-on only; passwords only for the break-glass accounts listed here.
LOCAL_SIGN_IN = envbool("LOCAL_SIGN_IN", True)
BREAK_GLASS_USERNAMES = envlist("BREAK_GLASS_USERNAMES")
# === end of Accounts block ==========================================================================
