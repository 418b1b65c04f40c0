from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amelio.core.filtersets import StyledFilterSet

from .models import Campaign, Questionnaire


class QuestionnaireFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="title", lookup_expr="icontains")

    class Meta:
        model = Questionnaire
        fields = ["kind", "department"]


class CampaignFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = Campaign
        fields = ["status", "academic_year", "department", "audience"]

    def search(self, queryset: QuerySet[Campaign], name: str, value: str) -> QuerySet[Campaign]:
        return queryset.filter(title__icontains=value)
