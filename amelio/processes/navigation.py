"""The process section of the menu (see core.registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from amelio.core.permissions import can
from amelio.core.registry import register_home_card, register_navigation
from amelio.core.reversing import reverse


def _items(user: Any) -> list[tuple[Any, str]]:
    if not can(user, "organisation.view_staff_pages"):
        return []
    return [
        (_("Process map"), reverse("processes:process_map")),
        (_("Processes"), reverse("processes:process_list")),
        (_("Context issues"), reverse("processes:context_issue_list")),
        (_("Interested parties"), reverse("processes:interested_party_list")),
        (_("Scope statement"), reverse("processes:statement_list", args=["scope"])),
        (_("Quality policy"), reverse("processes:statement_list", args=["policy"])),
    ]


def _map_card(user: Any) -> dict[str, Any] | None:
    return {} if can(user, "organisation.view_staff_pages") else None


def _owned_card(user: Any) -> dict[str, Any] | None:
    from .models import Process

    owned = list(Process.objects.filter(owner_id=user.pk).order_by("code"))
    return {"owned_processes": owned} if owned else None


register_navigation("processes", label=_("Processes"), order=10, name="processes", items=_items)
register_home_card("process_map", order=20, template_name="processes/_home_map.html", build=_map_card)
register_home_card("owned_processes", order=30, template_name="processes/_home_owned.html", build=_owned_card)
