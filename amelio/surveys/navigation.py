"""The "Surveys" menu entries (see core.registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from amelio.core.permissions import can
from amelio.core.registry import register_navigation
from amelio.core.reversing import reverse


def _items(user: Any) -> list[tuple[Any, str]]:
    if not can(user, "surveys.view"):
        return []
    return [
        (_("Survey campaigns"), reverse("surveys:campaign_list")),
        (_("Questionnaires"), reverse("surveys:questionnaire_list")),
    ]


register_navigation("surveys", label=_("Surveys"), order=47, name="surveys", items=_items)
