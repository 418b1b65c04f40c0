from __future__ import annotations

from typing import Any

from django import template

from ..labels import field_label, value_label

register = template.Library()


@register.simple_tag
def change_label(entry: Any, name: str) -> str:
    return field_label(entry.content_type.model_class(), name)


@register.simple_tag
def change_value(entry: Any, name: str, value: str) -> str:
    return value_label(entry.content_type.model_class(), name, value)
