"""The students section of the menu (see core.registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from amelio.core.permissions import can
from amelio.core.registry import register_navigation
from amelio.core.reversing import reverse


def _items(user: Any) -> list[tuple[Any, str]]:
    items = []
    if can(user, "students.view_list"):
        items.append((_("Students"), reverse("students:student_list")))
    if can(user, "students.view_at_risk"):
        items.append((_("Students at risk"), reverse("students:at_risk")))
    if can(user, "students.view_figures"):
        items.append((_("Success and insertion figures"), reverse("students:figures")))
        items.append((_("Cohorts"), reverse("students:cohort")))
    if can(user, "students.own_record"):
        items.append((_("My record"), reverse("students:own_record")))
    return items


register_navigation("students", label=_("Students"), order=45, name="students", items=_items)
