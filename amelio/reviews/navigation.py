"""The management reviews' entry in the menu (see core.registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from amelio.core.permissions import can
from amelio.core.registry import register_navigation
from amelio.core.reversing import reverse


def _items(user: Any) -> list[tuple[Any, str]]:
    if not can(user, "reviews.view_review"):
        return []
    return [(_("Management reviews"), reverse("reviews:review_list"))]


register_navigation("reviews", label=_("Reviews"), order=60, name="reviews", items=_items)
