from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from amelio.core.tables import BooleanColumn, detail, list_table_attrs

from .models import ContextIssue, InterestedParty, Process


class ProcessTable(tables.Table):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    owner = tables.Column(order_by=("owner__last_name", "owner__first_name"))
    activity_count = tables.Column(verbose_name=_("Activities"), attrs=detail())
    interaction_count = tables.Column(verbose_name=_("Interactions"), attrs=detail())
    kind = tables.Column(attrs=detail())
    department = tables.Column(attrs=detail())
    is_active = BooleanColumn(attrs=detail())

    class Meta:
        model = Process
        fields = ["code", "name", "kind", "owner", "department", "activity_count", "interaction_count", "is_active"]
        attrs = list_table_attrs()


class ContextIssueTable(tables.Table):
    title = tables.Column(linkify=True)
    process_count = tables.Column(verbose_name=_("Processes"), attrs=detail())
    is_active = BooleanColumn(attrs=detail())

    class Meta:
        model = ContextIssue
        fields = ["title", "origin", "effect", "process_count", "is_active", "reviewed_on"]
        attrs = list_table_attrs()


class InterestedPartyTable(tables.Table):
    name = tables.Column(linkify=True)
    process_count = tables.Column(verbose_name=_("Processes"))

    class Meta:
        model = InterestedParty
        fields = ["name", "category", "needs", "relevance", "process_count"]
        attrs = list_table_attrs()
