from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from amelio.core.filtersets import StyledFilterSet

from .choices import Direction, ScopeKind, Source
from .models import Indicator


class IndicatorFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    source = django_filters.ChoiceFilter(label=_("Source"), choices=Source.choices)
    scope_kind = django_filters.ChoiceFilter(label=_("Scope"), choices=ScopeKind.choices)
    direction = django_filters.ChoiceFilter(label=_("Direction"), choices=Direction.choices)

    class Meta:
        model = Indicator
        fields = ["source", "scope_kind", "direction", "process", "owner"]

    def search(self, queryset: QuerySet[Indicator], name: str, value: str) -> QuerySet[Indicator]:
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))
