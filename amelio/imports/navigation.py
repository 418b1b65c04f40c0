"""The imports entry of the "Companies & internships" menu section (see core.registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from amelio.core.permissions import can
from amelio.core.registry import register_navigation
from amelio.core.reversing import reverse
from amelio.partners.navigation import PARTNERSHIPS_LABEL, PARTNERSHIPS_ORDER, PARTNERSHIPS_SECTION


def _items(user: Any) -> list[tuple[Any, str]]:
    return [(_("Imports"), reverse("imports:home"))] if can(user, "imports.import") else []


register_navigation(
    PARTNERSHIPS_SECTION,
    label=PARTNERSHIPS_LABEL,
    order=PARTNERSHIPS_ORDER,
    name="imports",
    items=_items,
    item_order=20,
)
