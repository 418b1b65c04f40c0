from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from amelio.core.tables import detail, list_table_attrs, table_fragment

from .models import Document


class DocumentTable(tables.Table):
    reference = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    processes = tables.Column(verbose_name=_("Processes"), empty_values=(), orderable=False, attrs=detail())
    current_version = tables.Column(
        verbose_name=_("Version in force"), order_by=("current_version__number",), attrs=detail()
    )
    kind = tables.Column(attrs=detail())
    owner = tables.Column(attrs=detail())

    class Meta:
        model = Document
        fields = ["reference", "title", "kind", "processes", "current_version", "status", "owner", "review_due_on"]
        attrs = list_table_attrs()

    def render_processes(self, record: Document) -> str:
        return ", ".join(process.code for process in record.processes.all()) or "—"

    def value_processes(self, record: Document) -> str:
        return ", ".join(process.code for process in record.processes.all())

    def render_current_version(self, record: Document) -> str:
        return f"v{record.current_version.number}" if record.current_version else "—"

    def value_current_version(self, record: Document) -> str:
        return str(record.current_version.number) if record.current_version else ""

    def render_status(self, record: Document) -> str:
        context = {"status": record.status, "label": record.get_status_display()}
        return table_fragment(self, "documents/_status.html", context)

    def value_status(self, record: Document) -> str:
        return str(record.get_status_display())

    def render_review_due_on(self, record: Document) -> str:
        # The template reads only these two of the document.
        due = {"review_due_on": record.review_due_on, "review_overdue": record.review_overdue}
        return table_fragment(self, "documents/_review_date.html", {"document": due}, key=tuple(due.values()))

    def value_review_due_on(self, value: Any) -> str:
        return value.isoformat() if value else ""
