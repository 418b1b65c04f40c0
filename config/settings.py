"""Amelio settings, read from the environment with safe defaults for the demo.

Environment variables (all optional):
  DATABASE_URL       default sqlite:///db.sqlite3 (e.g. postgres://user@host:5432/amelio)
  REDIS_URL          when set, the task queue and the cache use Redis instead of their SQLite
                     file and local memory
  SECRET_KEY         required when DEBUG is off outside the demo; a demo key otherwise
  DEBUG              default off
  ALLOWED_HOSTS      comma-separated, default 127.0.0.1,localhost
  EMAIL_URL          e.g. smtp+tls://user:password@smtp.example.org:587 (default: console)
  DEFAULT_FROM_EMAIL default "Amelio <noreply@amelio.localhost>"
  SECURE_COOKIES     set to 1 behind HTTPS
  BEHIND_HTTPS_PROXY set to 1 behind one reverse proxy that terminates HTTPS and sets
                     X-Forwarded-Proto and X-Forwarded-For
"""

import os
from pathlib import Path

import environ

from config.sso import sso_settings

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)  # the task queue file and uploaded media live here

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="amelio-demo-only-not-secret-change-me-in-production-0123456789")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "huey.contrib.djhuey",
    "axes",
    "amelio.core",
    "amelio.history",
    "amelio.standards",
    "amelio.organisation",
    "amelio.processes",
    "amelio.notifications",
    "amelio.improvement",
    "amelio.partners",
    "amelio.internships",
    "amelio.indicators",
    "amelio.documents",
    "amelio.risks",
    "amelio.surveys",
    "amelio.audits",
    "amelio.reviews",
    "amelio.students",
    "amelio.imports",
    "amelio.demo",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "amelio.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "amelio.organisation.middleware.FirstRunSetupMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "amelio.core.middleware.ContentSecurityPolicyMiddleware",
    "amelio.core.middleware.PrivateResponsesMiddleware",
    "amelio.core.middleware.RefuseNulBytesMiddleware",
    "axes.middleware.AxesMiddleware",
    "amelio.standards.middleware.AuditorAccessLogMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "amelio.core.context_processors.navigation",
                "amelio.notifications.views.unread_context",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker use the file at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisation.Person"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): five failures for the same account and address, or twenty
# for the same account from any addresses (an attack spread over many machines), lock the
# account for 15 minutes. The second figure is higher so that one person mistyping cannot lock
# a colleague out, and an attacker needs many addresses to do it (amelio/core/login_throttling.py).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ACCOUNT_FAILURE_LIMIT = env.int("AXES_ACCOUNT_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_HANDLER = "amelio.core.login_throttling.AccountAndAddressHandler"
# The client's address as the rate limiter reads it (the forwarded one behind the proxy).
AXES_CLIENT_IP_CALLABLE = "amelio.core.ratelimit.client_address"
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "assets"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: files go through a permission-checked view
MAX_UPLOAD_SIZE = env.int("MAX_UPLOAD_SIZE", default=10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_SIZE + 1_048_576

# Email: the console in the demo, SMTP (or anything else) through EMAIL_URL.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=EMAIL_CONFIG.get("EMAIL_FILE_PATH") or str(VAR_DIR / "mail"))
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")  # for links in emails
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Amelio <noreply@amelio.localhost>")

# The cache holds the rate limiter's counters (amelio/core/ratelimit.py). Redis in production,
# shared by every worker process; without it each process counts on its own (local memory),
# which is right for the demo's single process.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "amelio",
        }
    }

# /health/ answers 503 when the worker's last heartbeat (a task it runs every minute) is older
# than this many seconds; 0 leaves the worker out of the check.
WORKER_HEARTBEAT_MAX_AGE = env.int("WORKER_HEARTBEAT_MAX_AGE", default=300)

# Background tasks (huey): its SQLite file beside the database by default, Redis in production.
HUEY_FILE = env.str("HUEY_FILE", default=str(VAR_DIR / "huey.sqlite3"))
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "amelio",
        "url": REDIS_URL,
        "immediate": False,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "amelio",
        "filename": HUEY_FILE,
        "immediate": False,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }

# Security headers; cookies marked secure when served over HTTPS.
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=False)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=SECURE_HSTS_SECONDS > 0)
# Behind a reverse proxy that terminates HTTPS and says so in this header; the rate limiter and
# login throttling then read the client's address from X-Forwarded-For (amelio/core/ratelimit.py).
BEHIND_HTTPS_PROXY = env.bool("BEHIND_HTTPS_PROXY", default=False)
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

DJANGO_TABLES2_TEMPLATE = "core/table.html"  # django-tables2's bootstrap5-responsive, rows drawn in Python
LIST_PAGE_SIZE = 25

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    # A refused page (403/404) is an answer, not an incident worth a traceback.
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}

# The school's LDAP directory, read by `manage.py sync_directory` (amelio/organisation/directory.py).
LDAP_SERVER_URI = env.str("LDAP_SERVER_URI", default="")
LDAP_BIND_DN = env.str("LDAP_BIND_DN", default="")
LDAP_BIND_PASSWORD = env.str("LDAP_BIND_PASSWORD", default="")
LDAP_PEOPLE_BASE = env.str("LDAP_PEOPLE_BASE", default="")
LDAP_PEOPLE_FILTER = env.str("LDAP_PEOPLE_FILTER", default="(objectClass=inetOrgPerson)")
# JSON: Amelio's field -> the directory's attribute, merged over the defaults (mail, givenName, sn, ...).
LDAP_ATTRIBUTES = env.json("LDAP_ATTRIBUTES", default={})
# JSON: group DN -> "role" (whole school) or "role:CODE" (a department's or process's code).
LDAP_GROUP_ROLES = env.json("LDAP_GROUP_ROLES", default={})

# The REST API (amelio/api): session (the browser) or personal token, paginated, throttled.
# A person makes their own tokens (read only, or read and write), each valid at most this long.
API_TOKEN_LIFETIME_DAYS = env.int("API_TOKEN_LIFETIME_DAYS", default=90)
REST_FRAMEWORK = {
    # The token first, so a refused or missing credential is a 401 that says how to sign in.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "amelio.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "amelio.api.authentication.TokenScopeAllowsMethod",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env.str("API_RATE", default="600/hour")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Amelio API",
    "DESCRIPTION": "The records of Amelio's quality management system, with the same permissions as its pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Served by the application itself (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# Single sign-on (CAS, OpenID Connect), each on when its variables are set: see config/sso.py.
_SSO = sso_settings(os.environ)
INSTALLED_APPS += _SSO.pop("apps")
AUTHENTICATION_BACKENDS += _SSO.pop("backends")
MIDDLEWARE += _SSO.pop("middleware")
SSO_PROVIDERS: list[str] = _SSO.pop("SSO_PROVIDERS")
globals().update(_SSO)
