from __future__ import annotations

import functools
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _cache_table_signatures() -> None:
    """django-tables2 asks `inspect.signature` which arguments a column's render method
    takes, again for every cell of every table (a tenth of a millisecond each, a seventh of
    a list page's time). A function's signature never changes: it is read once per function
    (a bound method by its function, as the instance only removes `self`)."""
    from django_tables2 import utils

    uncached = utils.signature

    @functools.lru_cache(maxsize=4096)
    def by_function(function: Any, bound: bool) -> tuple[tuple[str, ...], str | None]:
        arguments, keywords = uncached(function)
        return (tuple(arguments[1:]) if bound else tuple(arguments)), keywords

    def signature(fn: Any) -> tuple[tuple[str, ...], str | None]:
        function = getattr(fn, "__func__", None)
        if function is not None and getattr(fn, "__self__", None) is not None:
            return by_function(function, True)
        try:
            return by_function(fn, False)
        except TypeError:  # not hashable: read it each time, as django-tables2 does
            return uncached(fn)  # type: ignore[no-any-return]

    utils.signature = signature


class CoreConfig(AppConfig):
    name = "amelio.core"
    verbose_name = _("core")

    def ready(self) -> None:
        from .tables import register_columns

        _cache_table_signatures()
        register_columns()
