from __future__ import annotations

import django_tables2 as tables

from .models import ManagementReview


class ReviewTable(tables.Table):
    reference = tables.Column(linkify=True)
    title = tables.Column(linkify=True)

    class Meta:
        model = ManagementReview
        fields = ["reference", "title", "starts_on", "ends_on", "meeting_on", "chair", "status", "approved_on"]
        order_by = ("-starts_on",)
