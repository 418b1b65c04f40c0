"""What goes into each person's daily digest. Apps add sections with `digest_section`: a
function of (person, day) returning the lines to list, or an empty list."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

Section = Callable[[Any, datetime.date], tuple[str, list[str]]]
_SECTIONS: list[Section] = []


def digest_section(function: Section) -> Section:
    _SECTIONS.append(function)
    return function


def sections() -> list[Section]:
    return list(_SECTIONS)
