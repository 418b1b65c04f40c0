from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from amelio.core.tables import BooleanColumn, detail, list_table_attrs

from .models import AccessLogEntry


class AccessLogTable(tables.Table):
    opened_at = tables.DateTimeColumn(verbose_name=_("When (UTC)"), format="Y-m-d H:i:s")
    person = tables.Column(verbose_name=_("Person"), order_by=("person__last_name", "person__first_name"))
    access = tables.Column(verbose_name=_("Access"), linkify=True, attrs=detail())
    path = tables.Column(verbose_name=_("Page or file"))
    is_file = BooleanColumn(verbose_name=_("File"), attrs=detail())
    status_code = tables.Column(verbose_name=_("Answer"))
    view_name = tables.Column(attrs=detail())

    class Meta:
        model = AccessLogEntry
        fields = ["opened_at", "person", "access", "path", "view_name", "is_file", "status_code"]
        attrs = list_table_attrs("table table-sm align-middle")

    def render_opened_at(self, value: Any) -> str:
        return value.strftime("%Y-%m-%d %H:%M:%S UTC")

    def value_opened_at(self, value: Any) -> str:
        return value.isoformat()
