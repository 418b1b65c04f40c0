from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import ContextIssue, InterestedParty, Process


class ProcessTable(tables.Table):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    owner = tables.Column(order_by=("owner__last_name", "owner__first_name"))
    activity_count = tables.Column(verbose_name=_("Activities"))
    interaction_count = tables.Column(verbose_name=_("Interactions"))

    class Meta:
        model = Process
        fields = ["code", "name", "kind", "owner", "department", "activity_count", "interaction_count", "is_active"]
        attrs = {"class": "table table-hover align-middle"}


class ContextIssueTable(tables.Table):
    title = tables.Column(linkify=True)
    process_count = tables.Column(verbose_name=_("Processes"))

    class Meta:
        model = ContextIssue
        fields = ["title", "origin", "effect", "process_count", "is_active", "reviewed_on"]
        attrs = {"class": "table table-hover align-middle"}


class InterestedPartyTable(tables.Table):
    name = tables.Column(linkify=True)
    process_count = tables.Column(verbose_name=_("Processes"))

    class Meta:
        model = InterestedParty
        fields = ["name", "category", "needs", "relevance", "process_count"]
        attrs = {"class": "table table-hover align-middle"}
