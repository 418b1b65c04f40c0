from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from amelio.core.filtersets import StyledFilterSet

from .models import Company


class CompanyFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = Company
        fields = ["size", "country", "is_active"]

    def search(self, queryset: QuerySet[Company], name: str, value: str) -> QuerySet[Company]:
        return queryset.filter(
            Q(legal_name__icontains=value)
            | Q(trade_name__icontains=value)
            | Q(siret__startswith=value.replace(" ", ""))
        )
