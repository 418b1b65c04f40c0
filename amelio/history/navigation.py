"""The audit trail's menu section (see core.registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from amelio.core.permissions import can
from amelio.core.registry import register_navigation
from amelio.core.reversing import reverse


def _items(user: Any) -> list[tuple[Any, str]]:
    return [(_("Search the history"), reverse("history:search"))] if can(user, "history.search_trail") else []


register_navigation("history", label=_("Audit trail"), order=90, name="history", items=_items)
