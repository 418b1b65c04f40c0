from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from amelio.core.filtersets import StyledFilterSet

from .choices import ReviewStatus
from .models import ManagementReview


class ReviewFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReviewStatus.choices)

    class Meta:
        model = ManagementReview
        fields: list[str] = []

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value))
