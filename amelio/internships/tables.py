from __future__ import annotations

import django_tables2 as tables

from .models import Internship


class InternshipTable(tables.Table):
    reference = tables.Column(linkify=True)
    student = tables.Column(order_by=("student__last_name", "student__first_name"))

    class Meta:
        model = Internship
        fields = [
            "reference",
            "student",
            "company",
            "kind",
            "programme",
            "starts_on",
            "ends_on",
            "academic_tutor",
            "status",
        ]
        attrs = {"class": "table table-hover align-middle"}
