"""What goes into each person's daily digest. Apps add sections with `digest_section`: a
function of (person, day) returning a title and the lines to list (no line: no section)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings

Section = Callable[[Any, datetime.date], tuple[str, list[str]]]
_SECTIONS: list[Section] = []


def digest_section(function: Section) -> Section:
    if function not in _SECTIONS:  # a module imported twice must not list its section twice
        _SECTIONS.append(function)
    return function


def sections() -> list[Section]:
    return list(_SECTIONS)


def absolute(url: str) -> str:
    """A link of the application as it must read in an email."""
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url
