from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from amelio.core.tables import DateTimeColumn, detail, list_table_attrs

from .labels import field_label, value_label
from .models import HistoryEntry


class HistoryEntryTable(tables.Table):
    timestamp = DateTimeColumn(verbose_name=_("When"), format="Y-m-d H:i:s e")
    actor = tables.Column(verbose_name=_("By"), accessor="actor_repr")
    content_type = tables.Column(verbose_name=_("Record type"), attrs=detail())
    object_repr = tables.Column(verbose_name=_("Record"))
    changes = tables.Column(verbose_name=_("Changes"), orderable=False)
    reason = tables.Column(attrs=detail())

    class Meta:
        model = HistoryEntry
        fields = ["timestamp", "actor", "action", "content_type", "object_repr", "changes", "reason"]
        attrs = list_table_attrs("table table-sm align-top")

    def render_content_type(self, value: Any) -> str:
        model = value.model_class()
        return str(model._meta.verbose_name).capitalize() if model else value.model

    def render_changes(self, record: HistoryEntry) -> str:
        model = record.content_type.model_class()
        return format_html(
            "<ul class='list-unstyled mb-0 small'>{}</ul>",
            format_html_join(
                "",
                "<li><strong>{}</strong>: <del>{}</del> → {}</li>",
                (
                    (
                        field_label(model, name),
                        value_label(model, name, old) or "∅",
                        value_label(model, name, new) or "∅",
                    )
                    for name, old, new in record.change_rows
                ),
            ),
        )

    def value_changes(self, record: HistoryEntry) -> str:
        model = record.content_type.model_class()
        return "; ".join(
            f"{field_label(model, name)}: {value_label(model, name, old)} → {value_label(model, name, new)}"
            for name, old, new in record.change_rows
        )

    def value_timestamp(self, value: Any) -> str:
        # As on the page: the trail is stored in UTC and read in the school's time zone, to
        # the second, the zone named.
        return str(self.base_columns["timestamp"].render(value=value))
