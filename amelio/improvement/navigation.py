"""The improvement section of the menu (see core.registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from amelio.core.permissions import can
from amelio.core.registry import register_navigation
from amelio.core.reversing import reverse


def _items(user: Any) -> list[tuple[Any, str]]:
    items = [
        (_("Report a problem or an idea"), reverse("improvement:item_create")),
        (_("My work"), reverse("improvement:my_work")),
        (_("Improvement register"), reverse("improvement:item_list")),
        (_("Action register"), reverse("improvement:action_list")),
    ]
    if can(user, "organisation.view_staff_pages"):
        items += [
            (_("Board by state"), reverse("improvement:item_board")),
            (_("Figures"), reverse("improvement:dashboard")),
        ]
    return items


register_navigation("improvement", label=_("Improvement"), order=30, name="improvement", items=_items)
