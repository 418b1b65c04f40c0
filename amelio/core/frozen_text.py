"""Texts of a frozen record that each reader reads in their own language.

A management review's compiled inputs are frozen once the review is approved: their figures
must never change. Their labels, however, are the application's words, and a snapshot
storing them translated would show a French reader the English of whoever compiled it (or
the reverse). So the inputs write their words with `gettext_frozen` (imported as `_`, so
makemessages still finds them) and `choice_text`; each returns a `FrozenText`: a `str` in the
compiler's language — the code and the tests use it as any string — that also remembers its
message id and its parameters. `freeze()` turns a snapshot's FrozenTexts into
`{"$t": msgid, "params": {...}}` when it is stored; `thaw()` translates them back, in the
active language, when it is read. Names, references, numbers and dates are data: stored as
they are. A string that is not a FrozenText (a snapshot compiled before this existed, or
a text built by concatenation) is stored and shown as it was written.

What stays in the compiler's language, knowingly: words another module builds as finished
strings — an indicator value's period ("2025-2026, semester 1", a month's name from the date
format) — and numbers already formatted by the input (e.g. "12.5"): redoing them as frozen
texts would reach into those modules for a few words of a table cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext

TEXT_KEY = "$t"


class FrozenText(str):
    """A translated text that remembers how to translate itself again."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, params: Mapping[str, Any] | None = None) -> FrozenText:
        translated = gettext(msgid)
        if params:
            translated = translated % dict(params)
        text = super().__new__(cls, translated)
        text.msgid = msgid
        text.params = dict(params or {})
        return text

    def __mod__(self, params: Any) -> FrozenText:  # type: ignore[override]
        if not isinstance(params, Mapping):
            raise TypeError("A frozen text takes its parameters by name: _('…%(name)s…') % {'name': …}.")
        return FrozenText(self.msgid, params)


def gettext_frozen(msgid: str) -> FrozenText:
    """gettext, remembering the message id (use as `_` in a module compiling a snapshot)."""
    return FrozenText(msgid)


def choice_text(label: Any) -> str:
    """A choice's label (`SomeChoices.X.label`, a lazy translation) as a FrozenText; any
    other text as it is."""
    args = getattr(label, "_args", None)
    if args and isinstance(args[0], str) and not getattr(label, "_kw", None):
        return FrozenText(args[0])
    return str(label)


def freeze(value: Any) -> Any:
    """`value` (a snapshot: dicts, lists, strings, numbers) ready for JSON, its FrozenTexts
    stored as message ids with their parameters."""
    if isinstance(value, FrozenText):
        return {TEXT_KEY: value.msgid, "params": {name: freeze(param) for name, param in value.params.items()}}
    if isinstance(value, Mapping):
        return {str(key): freeze(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [freeze(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)  # a Decimal, a date: as the text the compiler showed


def _is_text(value: Mapping[str, Any]) -> bool:
    return TEXT_KEY in value and set(value) <= {TEXT_KEY, "params"}


def thaw(value: Any) -> Any:
    """A stored snapshot with its texts translated in the active language."""
    if isinstance(value, Mapping):
        if _is_text(value):
            translated = gettext(str(value[TEXT_KEY]))
            params = {name: thaw(param) for name, param in (value.get("params") or {}).items()}
            try:
                return translated % params if params else translated
            except (KeyError, ValueError, TypeError):
                # A translation that lost a parameter must not break the reading of the record.
                return str(value[TEXT_KEY]) % params
        return {key: thaw(item) for key, item in value.items()}
    if isinstance(value, list):
        return [thaw(item) for item in value]
    return value


def display(instance: Any, field_name: str) -> str:
    """`instance.get_<field_name>_display()` as a FrozenText (the value itself when it is
    not one of the field's choices)."""
    value = getattr(instance, field_name)
    choices = dict(instance._meta.get_field(field_name).flatchoices)
    return choice_text(choices[value]) if value in choices else str(value)


def message_id(text: Any) -> str:
    """The message id of a lazy translation (a registered title), else the text itself."""
    args = getattr(text, "_args", None)
    if args and isinstance(args[0], str) and not getattr(text, "_kw", None):
        return args[0]
    return str(text)
