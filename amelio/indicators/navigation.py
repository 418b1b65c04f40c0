"""The indicators section of the menu (see core.registry)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amelio.core.permissions import can
from amelio.core.registry import register_navigation


def _items(user: Any) -> list[tuple[Any, str]]:
    if not can(user, "indicators.view_indicator"):
        return []
    return [
        (_("School dashboard"), reverse("indicators:dashboard")),
        (_("Indicators"), reverse("indicators:indicator_list")),
    ]


register_navigation("indicators", label=_("Indicators"), order=35, name="indicators", items=_items)
