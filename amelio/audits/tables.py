from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from amelio.core.tables import DateColumn, detail, list_table_attrs

from .models import Audit, AuditProgramme


class AuditTable(tables.Table):
    reference = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    finding_count = tables.Column(verbose_name=_("findings"))
    kind = tables.Column(attrs=detail())
    programme = tables.Column(attrs=detail())
    ends_on = DateColumn(attrs=detail())
    lead_auditor = tables.Column(attrs=detail())

    class Meta:
        model = Audit
        fields = ["reference", "kind", "title", "programme", "starts_on", "ends_on", "lead_auditor", "status"]
        sequence = [*fields, "finding_count"]
        attrs = list_table_attrs()
        row_attrs = {"class": lambda record: "table-warning" if record.is_late else ""}

    def render_ends_on(self, value: Any, record: Audit) -> str:
        if record.is_late:
            return format_html('{} <span class="badge text-bg-danger">{}</span>', value, _("late"))
        return str(value)

    def value_ends_on(self, value: Any) -> str:
        return str(value.isoformat())

    def value_starts_on(self, value: Any) -> str:
        return str(value.isoformat())


class ProgrammeTable(tables.Table):
    title = tables.Column(linkify=True)
    audit_count = tables.Column(verbose_name=_("audits"))

    class Meta:
        model = AuditProgramme
        fields = ["title", "starts_on", "ends_on"]
        sequence = [*fields, "audit_count"]
        attrs = list_table_attrs()
