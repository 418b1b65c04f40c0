from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from amelio.core.filtersets import StyledFilterSet
from amelio.organisation.models import Person

from .models import ContextIssue, InterestedParty, Process


class ProcessFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=Person.objects.filter(owned_processes__isnull=False).distinct()
    )

    class Meta:
        model = Process
        fields = ["kind", "department", "is_active"]

    def search(self, queryset: QuerySet[Process], name: str, value: str) -> QuerySet[Process]:
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(purpose__icontains=value))


class ContextIssueFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = ContextIssue
        fields = ["origin", "effect", "is_active"]

    def search(self, queryset: QuerySet[ContextIssue], name: str, value: str) -> QuerySet[ContextIssue]:
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))


class InterestedPartyFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = InterestedParty
        fields = ["category", "relevance"]

    def search(self, queryset: QuerySet[InterestedParty], name: str, value: str) -> QuerySet[InterestedParty]:
        return queryset.filter(Q(name__icontains=value) | Q(needs__icontains=value))
