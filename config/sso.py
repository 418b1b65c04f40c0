"""Single sign-on, each protocol turned on by its environment variables:

- CAS (what most French universities run): CAS_SERVER_URL (e.g. https://cas.univ.fr/cas/),
  optionally CAS_VERSION (default 3) and CAS_EMAIL_ATTRIBUTE when the CAS user name is not
  the email address (e.g. "mail").
- OpenID Connect: OIDC_RP_CLIENT_ID, OIDC_RP_CLIENT_SECRET and the provider's endpoints
  OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT, OIDC_OP_USER_ENDPOINT,
  OIDC_OP_JWKS_ENDPOINT (RS256), optionally OIDC_OP_LOGOUT_ENDPOINT (the provider's
  end-session endpoint: signing out of Amelio then signs out of the provider too) and
  OIDC_USE_PKCE=false for a provider without PKCE.

Accounts are matched by email and never created by a sign-on (they come from the directory
import or sync); a deactivated account (a leaver) is refused. Local passwords keep working
for the people the school's directory does not hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def sso_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """The settings to add for the protocols the environment turns on."""
    extra: dict[str, Any] = {"apps": [], "backends": [], "middleware": [], "SSO_PROVIDERS": []}
    if environ.get("CAS_SERVER_URL"):
        extra["apps"].append("django_cas_ng")
        extra["backends"].append("amelio.organisation.sso.CASBackend")
        extra["SSO_PROVIDERS"].append("cas")
        extra.update(
            CAS_SERVER_URL=environ["CAS_SERVER_URL"],
            CAS_VERSION=environ.get("CAS_VERSION", "3"),
            CAS_CREATE_USER=False,
            CAS_USERNAME_ATTRIBUTE=environ.get("CAS_EMAIL_ATTRIBUTE", "uid"),
            CAS_FORCE_CHANGE_USERNAME_CASE="lower",
            CAS_LOGOUT_COMPLETELY=True,
            CAS_REDIRECT_URL="/",
        )
    if environ.get("OIDC_RP_CLIENT_ID"):
        extra["apps"].append("mozilla_django_oidc")
        extra["backends"].append("amelio.organisation.sso.OIDCBackend")
        extra["SSO_PROVIDERS"].append("oidc")
        extra.update(
            OIDC_RP_CLIENT_ID=environ["OIDC_RP_CLIENT_ID"],
            OIDC_RP_CLIENT_SECRET=environ.get("OIDC_RP_CLIENT_SECRET", ""),
            OIDC_RP_SIGN_ALGO=environ.get("OIDC_RP_SIGN_ALGO", "RS256"),
            OIDC_RP_SCOPES="openid email profile",
            OIDC_OP_AUTHORIZATION_ENDPOINT=environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", ""),
            OIDC_OP_TOKEN_ENDPOINT=environ.get("OIDC_OP_TOKEN_ENDPOINT", ""),
            OIDC_OP_USER_ENDPOINT=environ.get("OIDC_OP_USER_ENDPOINT", ""),
            OIDC_OP_JWKS_ENDPOINT=environ.get("OIDC_OP_JWKS_ENDPOINT", ""),
            OIDC_OP_LOGOUT_ENDPOINT=environ.get("OIDC_OP_LOGOUT_ENDPOINT", ""),
            OIDC_CREATE_USER=False,
            # Kept in the session to sign out of the provider too (id_token_hint).
            OIDC_STORE_ID_TOKEN=True,
            OIDC_USE_PKCE=environ.get("OIDC_USE_PKCE", "true").lower() not in ("false", "0", "no"),
            LOGIN_REDIRECT_URL_FAILURE="/accounts/login/?sso=refused",
        )
    return extra
