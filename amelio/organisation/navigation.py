"""The organisation section of the menu and the "my roles" card of the home page (see
core.registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from amelio.core.permissions import can
from amelio.core.registry import register_home_card, register_navigation
from amelio.core.reversing import reverse


def _items(user: Any) -> list[tuple[Any, str]]:
    if not can(user, "organisation.view_staff_pages"):
        return []
    items: list[tuple[Any, str]] = [(_("The school"), reverse("organisation:school_detail"))]
    if can(user, "organisation.manage_structure"):
        items.append((_("Set-up"), reverse("organisation:setup")))
    return [
        *items,
        (_("Departments"), reverse("organisation:department_list")),
        (_("Programmes"), reverse("organisation:programme_list")),
        (_("Academic years"), reverse("organisation:academic_year_list")),
        (_("People"), reverse("organisation:person_list")),
        (_("Roles"), reverse("organisation:role_list")),
    ]


def _roles_card(user: Any) -> dict[str, Any]:
    from .models import RoleAssignment

    assignments = list(
        RoleAssignment.objects.filter(person_id=user.pk)
        .select_related("department", "process")
        .order_by("role", "scope_kind")
    )
    return {"assignments": assignments}


register_navigation("organisation", label=_("Organisation"), order=20, name="organisation", items=_items)
register_home_card("my_roles", order=10, template_name="organisation/_home_roles.html", build=_roles_card)
