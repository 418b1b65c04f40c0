"""The sign-on backends (see config/sso.py): the account is the person whose email the
identity provider gives, and only while their account is active."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
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
