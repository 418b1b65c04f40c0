"""The school's identity provider, for the sign-on tests: a CAS server (django-cas-server) and
an OpenID Connect provider (django-oauth-toolkit) in one small Django project, started by
`amelio/organisation/tests/test_sso_end_to_end.py` as a real HTTP server beside Amelio."""

from __future__ import annotations

import os
from pathlib import Path

SECRET_KEY = "identity-provider-of-the-sign-on-tests"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
USE_TZ = True
ROOT_URLCONF = "tests.sso_provider.urls"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
STATIC_URL = "/static/"
LOGIN_URL = "/accounts/login/"
# Both servers run on 127.0.0.1 and cookies ignore ports: the provider's must not replace Amelio's.
SESSION_COOKIE_NAME = "provider_sessionid"
CSRF_COOKIE_NAME = "provider_csrftoken"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "cas_server",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["SSO_PROVIDER_DATABASE"]}}

# CAS: users are this project's Django users; no look-up of newer versions (no internet).
CAS_AUTH_CLASS = "cas_server.auth.DjangoAuthUser"
CAS_NEW_VERSION_HTML_WARNING = False
CAS_NEW_VERSION_EMAIL_WARNING = False
CAS_SHOW_POWERED = False

# OpenID Connect: RS256 ID tokens signed with the key the test generated; email in the claims.
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": os.environ.get("SSO_PROVIDER_RSA_KEY", ""),
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "SCOPES": {"openid": "OpenID Connect", "email": "Email", "profile": "Profile"},
    "OAUTH2_VALIDATOR_CLASS": "tests.sso_provider.validator.EmailClaimValidator",
}
