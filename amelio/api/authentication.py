"""Personal API tokens that expire: a token older than API_TOKEN_LIFETIME_DAYS, or whose
owner's account is closed, is refused, so a forgotten script loses its access by itself."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


class ExpiringTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        lifetime = datetime.timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)
        if token.created < timezone.now() - lifetime:
            raise exceptions.AuthenticationFailed(_("This token has expired: ask for a new one."))
        return user, token
