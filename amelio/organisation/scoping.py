"""Which objects of a kind may this user see? Every list, export, selector and form choice
narrows its queryset through `visible`; each app declares its scopes in `rules.py`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

from .permissions import UserRoles, roles_of

Scope = Callable[[UserRoles, models.QuerySet[Any]], models.QuerySet[Any]]
_SCOPES: dict[str, Scope] = {}


def scope(model_label: str) -> Callable[[Scope], Scope]:
    def register(function: Scope) -> Scope:
        _SCOPES[model_label.lower()] = function
        return function

    return register


def visible(user: Any, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """`queryset` narrowed to what `user` may see; nothing when no scope is declared."""
    if user is None:
        return queryset
    roles = roles_of(user)
    if not roles.is_authenticated:
        return queryset.none()
    label = queryset.model._meta.label_lower
    try:
        narrow = _SCOPES[label]
    except KeyError as error:
        raise LookupError(f"No visibility scope for {label!r}.") from error
    return narrow(roles, queryset)
