"""`reverse` as Django's, remembered: a list page reverses the same few names for every row
(each record's `get_absolute_url`) and every menu item, and Django's `reverse` costs tens of
microseconds of CPU a call (bench/page_cpu.py), most of a page's budget once multiplied.

Only the plainest calls are remembered: a view name with no arguments, or with positional
arguments that are all non-negative integers (a record's primary key), no `urlconf`,
`current_app`, `query` or `fragment`. For those, the address is made once with sentinel
numbers and kept as a pattern, then filled in with each call's numbers. The pattern is kept
only if Django gives exactly the same address for a small number as the pattern does, so a
converter that would treat numbers of different lengths differently (`[0-9]{4}`) is never
patterned: those calls, like every other, go to Django's `reverse` each time.

What is remembered is keyed by the URLconf in force and the script prefix (the address the
application is mounted under), and forgotten whenever Django clears its own URL caches (a
test overriding ROOT_URLCONF), so an address is never stale: URL patterns do not change while
a process runs.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse

# Numbers no real primary key will reach in this school, each written once in an address.
_SENTINELS = (9_876_543_210_101, 9_876_543_210_202, 9_876_543_210_303, 9_876_543_210_404)
_NOT_PATTERNED = object()
_patterns: dict[tuple[Any, ...], Any] = {}


def _pattern(viewname: str, arity: int) -> Any:
    """The address cut at each argument, or _NOT_PATTERNED."""
    sentinels = _SENTINELS[:arity]
    try:
        address = django_reverse(viewname, args=sentinels)
    except Exception:
        return _NOT_PATTERNED
    pieces = [address]
    for sentinel in sentinels:
        head, found, tail = pieces[-1].partition(str(sentinel))
        if not found or str(sentinel) in tail:
            return _NOT_PATTERNED
        pieces[-1:] = [head, tail]
    try:
        small = django_reverse(viewname, args=[1] * arity)
    except Exception:
        return _NOT_PATTERNED
    if "1".join(pieces) != small:
        return _NOT_PATTERNED
    return tuple(pieces)


def reverse(
    viewname: Any,
    urlconf: str | None = None,
    args: Any = None,
    kwargs: Any = None,
    current_app: str | None = None,
    **options: Any,
) -> str:
    plain = (
        isinstance(viewname, str)
        and urlconf is None
        and not kwargs
        and current_app is None
        and not any(value is not None for value in options.values())
    )
    numbers = tuple(args) if args else ()
    if (
        not plain
        or len(numbers) > len(_SENTINELS)
        or not all(type(number) is int and number >= 0 for number in numbers)
    ):
        return django_reverse(viewname, urlconf, args, kwargs, current_app, **options)
    key = (viewname, len(numbers), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    pattern = _patterns.get(key)
    if pattern is None:
        pattern = _patterns[key] = _pattern(viewname, len(numbers)) if numbers else django_reverse(viewname)
    if pattern is _NOT_PATTERNED:
        return django_reverse(viewname, urlconf, args, kwargs, current_app, **options)
    if not numbers:
        return str(pattern)
    pieces = [pattern[0]]
    for number, piece in zip(numbers, pattern[1:], strict=True):
        pieces += [str(number), piece]
    return "".join(pieces)


def forget_addresses(**_kwargs: Any) -> None:
    _patterns.clear()


def _on_setting_changed(*, setting: str, **_kwargs: Any) -> None:
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME"}:
        forget_addresses()


setting_changed.connect(_on_setting_changed)
