from __future__ import annotations

from typing import Any

import django_tables2 as tables

from .models import Indicator


class IndicatorTable(tables.Table):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True)

    class Meta:
        model = Indicator
        fields = ["code", "name", "process", "scope_kind", "unit", "direction", "source", "owner"]
        attrs = {"class": "table table-hover align-middle"}

    def render_process(self, value: Any) -> str:
        return value.code

    def value_process(self, value: Any) -> str:
        return str(value)
