"""What other apps add to a company: the sections of its page and what moves when two
records of it are merged. Partners knows nothing of the apps built on it (internships, later
students and surveys); they register here when Django starts (their AppConfig.ready)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# build(user, company) -> the section's context, or None to leave it out.
SectionBuilder = Callable[[Any, Any], "dict[str, Any] | None"]
# move(actor, kept, absorbed, reason) -> what moved, in words ("3 internships"), or "".
MergeHook = Callable[..., str]


@dataclass(frozen=True)
class _Section:
    name: str
    order: int
    template_name: str
    build: SectionBuilder


_sections: dict[str, _Section] = {}
_merge_hooks: dict[str, MergeHook] = {}


def register_company_section(name: str, *, order: int, template_name: str, build: SectionBuilder) -> None:
    _sections[name] = _Section(name=name, order=order, template_name=template_name, build=build)


def company_sections(*, user: Any, company: Any) -> list[dict[str, Any]]:
    """The registered sections of the company page, in order, each with its context."""
    sections = []
    for section in sorted(_sections.values(), key=lambda section: (section.order, section.name)):
        context = section.build(user, company)
        if context is not None:
            sections.append({"name": section.name, "template_name": section.template_name, **context})
    return sections


def register_merge_hook(name: str, move: MergeHook) -> None:
    """`move(actor=, kept=, absorbed=, reason=)` moves the app's records of `absorbed` to
    `kept` through the app's own services (each moved record keeps its history), inside the
    merge's transaction; it returns what it moved, in words."""
    _merge_hooks[name] = move


def run_merge_hooks(*, actor: Any, kept: Any, absorbed: Any, reason: str) -> list[str]:
    return [
        moved
        for _name, move in sorted(_merge_hooks.items())
        if (moved := move(actor=actor, kept=kept, absorbed=absorbed, reason=reason))
    ]
