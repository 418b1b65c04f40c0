from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Company


class CompanyTable(tables.Table):
    legal_name = tables.Column(linkify=True)
    internship_count = tables.Column(verbose_name=_("Internships"))

    class Meta:
        model = Company
        fields = [
            "legal_name",
            "trade_name",
            "siret",
            "naf_code",
            "size",
            "city",
            "country",
            "internship_count",
            "is_active",
        ]
        attrs = {"class": "table table-hover align-middle"}
