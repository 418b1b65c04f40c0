"""The indicators section of the menu (see core.registry)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amelio.core.permissions import can
from amelio.core.registry import register_home_card, register_navigation


def _items(user: Any) -> list[tuple[Any, str]]:
    if not can(user, "indicators.view_indicator"):
        return []
    return [
        (_("School dashboard"), reverse("indicators:dashboard")),
        (_("Indicators"), reverse("indicators:indicator_list")),
    ]


register_navigation("indicators", label=_("Indicators"), order=35, name="indicators", items=_items)


def _objective_items(user: Any) -> list[tuple[Any, str]]:
    if not can(user, "indicators.view_objective"):
        return []
    return [(_("Quality objectives"), reverse("indicators:objective_list"))]


def _objectives_at_risk_card(user: Any) -> dict[str, Any] | None:
    from .selectors import objectives_at_risk

    if not can(user, "indicators.view_objective"):
        return None
    objectives = objectives_at_risk(user=user)
    return {"objectives": objectives} if objectives else None


register_navigation(
    "indicators", label=_("Indicators"), order=35, name="objectives", items=_objective_items, item_order=10
)
register_home_card(
    "objectives_at_risk",
    order=15,
    template_name="indicators/_home_objectives_at_risk.html",
    build=_objectives_at_risk_card,
)
