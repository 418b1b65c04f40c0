"""The company entries of the "Companies & internships" menu section (see core.registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from amelio.core.permissions import can
from amelio.core.registry import register_navigation
from amelio.core.reversing import reverse

PARTNERSHIPS_SECTION = "partnerships"
PARTNERSHIPS_LABEL = _("Companies & internships")
PARTNERSHIPS_ORDER = 40


def _items(user: Any) -> list[tuple[Any, str]]:
    if not can(user, "partners.view_companies"):
        return []
    return [
        (_("Companies"), reverse("partners:company_list")),
        (_("Contacts"), reverse("partners:contact_list")),
        (_("Partnership agreements"), reverse("partners:agreement_list")),
        (_("Teaching by professionals"), reverse("partners:intervention_list")),
        (_("Share of teaching by professionals"), reverse("partners:teaching_figures")),
    ]


register_navigation(
    PARTNERSHIPS_SECTION, label=PARTNERSHIPS_LABEL, order=PARTNERSHIPS_ORDER, name="partners", items=_items
)
