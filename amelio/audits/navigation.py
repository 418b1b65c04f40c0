"""The audit section of the menu (see core.registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from amelio.core.permissions import can
from amelio.core.registry import register_navigation
from amelio.core.reversing import reverse


def _items(user: Any) -> list[tuple[Any, str]]:
    if not can(user, "audits.view_audits"):
        return []
    return [
        (_("Audit programmes"), reverse("audits:programme_list")),
        (_("Audits"), reverse("audits:audit_list")),
    ]


register_navigation("audits", label=_("Audits"), order=28, name="audits", items=_items)
