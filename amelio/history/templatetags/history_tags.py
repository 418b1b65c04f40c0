from __future__ import annotations

from typing import Any

from django import template

from ..labels import field_label

register = template.Library()


@register.simple_tag
def change_label(entry: Any, name: str) -> str:
    return field_label(entry.content_type.model_class(), name)
