from __future__ import annotations

import django_tables2 as tables

from amelio.core.tables import DateColumn, detail, list_table_attrs

from .models import ManagementReview


class ReviewTable(tables.Table):
    reference = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    starts_on = DateColumn(attrs=detail())
    ends_on = DateColumn(attrs=detail())
    chair = tables.Column(attrs=detail())
    approved_on = DateColumn(attrs=detail())

    class Meta:
        model = ManagementReview
        fields = ["reference", "title", "starts_on", "ends_on", "meeting_on", "chair", "status", "approved_on"]
        order_by = ("-starts_on",)
        attrs = list_table_attrs()
