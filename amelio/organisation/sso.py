"""The sign-on backends (see config/sso.py): the account is the person whose email the
identity provider gives, and only while their account is active."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.views import LogoutView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django_cas_ng.backends import CASBackend as BaseCASBackend
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .models import Person


def person_for_sign_on(email: str) -> Person | None:
    """The active person with this email (any case), or None: no account is created by a
    sign-on, and a leaver's account stays closed."""
    email = (email or "").strip().lower()
    if not email:
        return None
    person = Person.objects.filter(email=email).first()
    if person is None or not ModelBackend().user_can_authenticate(person):
        return None
    return person


class CASBackend(BaseCASBackend):
    """CAS gives a user name (or, with CAS_EMAIL_ATTRIBUTE, the email as an attribute)."""

    def authenticate(self, request: Any, ticket: str, service: str) -> Person | None:  # type: ignore[override]
        user = super().authenticate(request, ticket, service)
        return person_for_sign_on(user.email) if user is not None else None


class OIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        person = person_for_sign_on(claims.get("email", ""))
        return Person.objects.filter(pk=person.pk) if person is not None else Person.objects.none()


def provider_sign_out_url(request: HttpRequest) -> str | None:
    """Where to send a person who signs out, when a sign-on opened their session: the CAS
    server's or the OpenID provider's logout, coming back to the login page. Without it the
    provider's session would stay open and the next person at a shared computer would be
    signed in again by one click. Read before the session is flushed."""
    backend = request.session.get(BACKEND_SESSION_KEY, "")
    back = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    if backend == f"{CASBackend.__module__}.{CASBackend.__qualname__}":
        from django_cas_ng.models import ProxyGrantingTicket, SessionTicket
        from django_cas_ng.utils import get_cas_client

        session_key = request.session.session_key
        ProxyGrantingTicket._default_manager.filter(session_key=session_key).delete()
        SessionTicket._default_manager.filter(session_key=session_key).delete()
        return str(get_cas_client(request=request).get_logout_url(back))
    endpoint = getattr(settings, "OIDC_OP_LOGOUT_ENDPOINT", "")
    if backend == f"{OIDCBackend.__module__}.{OIDCBackend.__qualname__}" and endpoint:
        query = {"client_id": getattr(settings, "OIDC_RP_CLIENT_ID", ""), "post_logout_redirect_uri": back}
        id_token = request.session.get("oidc_id_token")
        if id_token:
            query["id_token_hint"] = id_token
        return f"{endpoint}?{urlencode(query)}"
    return None


class SignOutView(LogoutView):
    """Django's sign-out (POST only), then the provider's when a sign-on opened the session."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        provider = provider_sign_out_url(request)
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(provider) if provider else response
