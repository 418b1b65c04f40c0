"""Personal API tokens (`Authorization: Token <key>`), each with a scope and an expiry. A key
is looked up by its hash; an expired or revoked token, or one whose owner's account is
closed, is refused — revoking takes effect on the very next call."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, permissions
from rest_framework.authentication import TokenAuthentication
from rest_framework.request import Request

from .models import ApiToken
from .selectors import api_token_for_key
from .services import api_token_note_use


class ExpiringTokenAuthentication(TokenAuthentication):
    # A subclass of DRF's, so the OpenAPI schema describes it as its token scheme.
    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = api_token_for_key(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token has been revoked."))
        if token.is_expired:
            raise exceptions.AuthenticationFailed(_("This token has expired: ask for a new one."))
        if not token.owner.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        api_token_note_use(token=token)
        return token.owner, token


class TokenScopeAllowsMethod(permissions.BasePermission):
    """A read-only token reads and nothing else: any other method is refused (403) before the
    view runs, so nothing is written."""

    message = gettext_lazy("This token may only read: make a read and write token to change records.")

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if isinstance(token, ApiToken) and not token.allows_writing:
            return request.method in permissions.SAFE_METHODS
        return True
