"""Reads of personal API tokens: a person sees their own, nobody else's."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import ApiToken, hash_key


def api_token_list(*, user: Any) -> QuerySet[ApiToken]:
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(owner=user).order_by("-created_at", "-pk")


def api_token_get(*, user: Any, pk: int) -> ApiToken:
    """The user's own token, or a 404: another's token is out of sight, not forbidden."""
    return get_object_or_404(api_token_list(user=user), pk=pk)


def api_token_for_key(*, key: str) -> ApiToken | None:
    """The token a presented key belongs to, with its owner, whatever its state."""
    return ApiToken.objects.select_related("owner").filter(key_hash=hash_key(key)).first()
