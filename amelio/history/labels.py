"""Human labels for the field names stored in history entries."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

# Keys that services record which are not fields of the record they are shown on.
EXTRA_LABELS = {
    "role": _("role"),
    "scope": _("scope"),
    "ends_on": _("ends on"),
    "raci": _("RACI"),
    "approved_on": _("approved on"),
    "position": _("order"),
    "name": _("name"),
    "description": _("description"),
}


def field_label(model: Any, name: str) -> str:
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            pass
    return str(EXTRA_LABELS.get(name, name))
