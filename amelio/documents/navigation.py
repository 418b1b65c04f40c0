"""The documents entry of the menu and the "to read" card of the home page (see core.registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from amelio.core.permissions import can
from amelio.core.registry import register_home_card, register_navigation
from amelio.core.reversing import reverse


def _items(user: Any) -> list[tuple[Any, str]]:
    if not can(user, "documents.view_documents"):
        return []
    return [(_("Documented information"), reverse("documents:document_list"))]


def _to_read_card(user: Any) -> dict[str, Any] | None:
    from .selectors import TO_READ_SHOWN, to_read

    documents = list(to_read(user=user)[: TO_READ_SHOWN + 1])
    if not documents:
        return None
    return {"documents": documents[:TO_READ_SHOWN], "more": len(documents) > TO_READ_SHOWN}


register_navigation("documents", label=_("Documents"), order=15, name="documents", items=_items)
register_home_card("documents_to_read", order=15, template_name="documents/_home_to_read.html", build=_to_read_card)
