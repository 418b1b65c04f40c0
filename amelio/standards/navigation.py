"""The frameworks entries of the menu (see core.registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from amelio.core.permissions import can
from amelio.core.registry import register_navigation
from amelio.core.reversing import reverse


def _items(user: Any) -> list[tuple[Any, str]]:
    items: list[tuple[Any, str]] = []
    if can(user, "standards.view_frameworks"):
        items.append((_("Frameworks and evidence"), reverse("standards:framework_list")))
    if can(user, "standards.manage_auditor_access"):
        items.append((_("External auditors' accesses"), reverse("standards:access_list")))
    if can(user, "standards.read_access_log"):
        items.append((_("External auditors' access log"), reverse("standards:access_log")))
    return items


register_navigation("documents", label=_("Documents"), order=15, name="standards", items=_items, item_order=10)
