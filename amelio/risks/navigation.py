"""The risk section of the menu and the home card of reviews due (see core.registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from amelio.core.permissions import can
from amelio.core.registry import register_home_card, register_navigation
from amelio.core.reversing import reverse


def _items(user: Any) -> list[tuple[Any, str]]:
    if not can(user, "risks.view_risk"):
        return []
    items = [
        (_("Risk register"), reverse("risks:risk_list")),
        (_("Risk matrix"), reverse("risks:risk_matrix")),
    ]
    if can(user, "risks.configure_scale"):
        items.append((_("Risk scale"), reverse("risks:scale_update")))
    return items


def _reviews_card(user: Any) -> dict[str, Any] | None:
    from .selectors import risks_due_for_review

    if not can(user, "risks.view_risk"):
        return None
    due = risks_due_for_review(user=user)
    return due if due["total"] else None


register_navigation("risks", label=_("Risks"), order=25, name="risks", items=_items)
register_home_card("risk_reviews", order=35, template_name="risks/_home_reviews.html", build=_reviews_card)
