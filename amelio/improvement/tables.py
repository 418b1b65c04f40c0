from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from amelio.core.tables import BooleanColumn, DateColumn, detail, list_table_attrs

from .models import Action, ImprovementItem


class ItemTable(tables.Table):
    reference = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    origin = tables.Column(attrs=detail())
    process = tables.Column(attrs=detail())
    department = tables.Column(attrs=detail())
    raised_by = tables.Column(attrs=detail())
    raised_on = DateColumn(attrs=detail())
    action_count = tables.Column(verbose_name=_("Actions"), attrs=detail())
    has_overdue_action = BooleanColumn(verbose_name=_("Overdue action"))

    class Meta:
        model = ImprovementItem
        fields = [
            "reference",
            "origin",
            "title",
            "status",
            "severity",
            "process",
            "department",
            "raised_by",
            "raised_on",
            "due_on",
            "action_count",
            "has_overdue_action",
        ]
        attrs = list_table_attrs()
        row_attrs = {"class": lambda record: "table-danger" if getattr(record, "has_overdue_action", False) else ""}

    def render_process(self, value: Any) -> str:
        return value.code

    def value_process(self, value: Any) -> str:
        return str(value)


class ActionTable(tables.Table):
    title = tables.Column(linkify=True)
    item = tables.Column(linkify=True, accessor="item__reference", verbose_name=_("Item"))
    kind = tables.Column(attrs=detail())
    process = tables.Column(attrs=detail())
    department = tables.Column(attrs=detail())
    due_on = tables.Column()
    completed_on = DateColumn(attrs=detail())

    class Meta:
        model = Action
        fields = ["title", "kind", "item", "owner", "process", "department", "due_on", "status", "completed_on"]
        attrs = list_table_attrs()
        row_attrs = {"class": lambda record: "table-danger" if record.is_overdue else ""}

    def render_due_on(self, value: Any, record: Action) -> str:
        if record.is_overdue:
            return format_html('{} <span class="badge text-bg-danger">{}</span>', value, _("overdue"))
        return str(value)

    def value_due_on(self, value: Any) -> str:
        return value.isoformat()
