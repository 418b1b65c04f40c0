"""May this user do this on this object, and which objects of a kind may they see? The one
place that answers both, for every app.

Each app declares its rules in its own `rules.py`: `@rule("app.action")` for "may this user
do this on this object" and `@scope("app.model")` for "which rows of this model may they see".
Views, forms, exports, services, tasks and the API all ask `can` (or `require`, which raises)
and `visible`. A rule and a scope receive the user's roles, loaded once per request by the
loader the organisation app registers (core knows nothing of roles, departments or processes),
and the object or queryset.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

Rule = Callable[[Any, Any], bool]
Scope = Callable[[Any, models.QuerySet[Any]], models.QuerySet[Any]]
RolesLoader = Callable[[Any], Any]

_RULES: dict[str, Rule] = {}
_SCOPES: dict[str, Scope] = {}
_loader: list[RolesLoader] = []


def register_roles_loader(loader: RolesLoader) -> None:
    """The function that gives a user's roles (an object with `is_authenticated`); the
    organisation app registers it when Django starts."""
    _loader[:] = [loader]


def roles_for(user: Any) -> Any:
    if not _loader:
        raise ImproperlyConfigured("No roles loader is registered (is amelio.organisation installed?).")
    return _loader[0](user)


def rule(action: str) -> Callable[[Rule], Rule]:
    def register(function: Rule) -> Rule:
        if action in _RULES:
            raise ValueError(f"Rule {action!r} is declared twice.")
        _RULES[action] = function
        return function

    return register


def scope(model_label: str) -> Callable[[Scope], Scope]:
    def register(function: Scope) -> Scope:
        label = model_label.lower()
        if label in _SCOPES:
            raise ValueError(f"Scope {label!r} is declared twice.")
        _SCOPES[label] = function
        return function

    return register


def can(user: Any, action: str, obj: Any = None) -> bool:
    """True when `user` may do `action` (e.g. "processes.change_process") on `obj`.

    `user` None means the system itself (demo loader, data migration, a periodic task),
    which may do anything."""
    if user is None:
        return True
    try:
        check = _RULES[action]
    except KeyError as error:
        raise LookupError(f"No permission rule for {action!r}.") from error
    roles = roles_for(user)
    if not roles.is_authenticated:
        return False
    return check(roles, obj)


def require(user: Any, action: str, obj: Any = None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied(_("You are not allowed to do this."))


def visible(user: Any, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """`queryset` narrowed to what `user` may see; an undeclared model is an error, never
    an open door."""
    if user is None:
        return queryset
    roles = roles_for(user)
    if not roles.is_authenticated:
        return queryset.none()
    label = queryset.model._meta.label_lower
    try:
        narrow = _SCOPES[label]
    except KeyError as error:
        raise LookupError(f"No visibility scope for {label!r}.") from error
    return narrow(roles, queryset)


def declared_actions() -> Iterable[str]:
    return sorted(_RULES)
