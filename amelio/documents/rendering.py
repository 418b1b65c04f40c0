"""A version's text shown as a page, safely: every character the author typed is escaped
first (no HTML of theirs ever reaches the page); then a few plain-text habits are shown as
they are meant — "# " headings, "- " lists, **bold**, blank lines between paragraphs."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BOLD = re.compile(r"\*\*(.+?)\*\*")


def _inline(line: str) -> str:
    return BOLD.sub(r"<strong>\1</strong>", escape(line))


def render_text(text: str) -> SafeString:
    parts: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def close() -> None:
        if paragraph:
            parts.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph.clear()
        if items:
            parts.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
            items.clear()

    for raw in (text or "").splitlines():
        line = raw.rstrip()
        heading = re.match(r"^(#{1,3})\s+(.*)$", line)
        if heading:
            close()
            level = len(heading.group(1)) + 2  # h3 to h5: the page's own title is above
            parts.append(f"<h{level} class='h{level + 1}'>{_inline(heading.group(2))}</h{level}>")
        elif re.match(r"^\s*[-*]\s+", line):
            if paragraph:
                close()
            items.append(_inline(re.sub(r"^\s*[-*]\s+", "", line)))
        elif not line.strip():
            close()
        else:
            if items:
                close()
            paragraph.append(_inline(line.strip()))
    close()
    # Every piece above was escaped before its tags were added.
    return mark_safe("\n".join(parts))
