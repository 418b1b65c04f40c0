from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from amelio.core.filtersets import StyledFilterSet
from amelio.organisation.models import AcademicYear, Person

from .choices import Direction, ObjectiveStatus, ScopeKind, Source, Standing
from .models import Indicator, Objective
from .selectors import objective_standings


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


class ObjectiveFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ObjectiveStatus.choices)
    standing = django_filters.ChoiceFilter(label=_("Standing"), choices=Standing.choices, method="with_standing")
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=Person.objects.filter(Exists(Objective.objects.filter(owner=OuterRef("pk"))))
    )
    academic_year = django_filters.ModelChoiceFilter(label=_("Starts in"), queryset=AcademicYear.objects.all())

    class Meta:
        model = Objective
        fields = ["status", "standing", "owner", "process", "academic_year"]

    def search(self, queryset: QuerySet[Objective], name: str, value: str) -> QuerySet[Objective]:
        return queryset.filter(Q(code__icontains=value) | Q(statement__icontains=value))

    def with_standing(self, queryset: QuerySet[Objective], name: str, value: str) -> QuerySet[Objective]:
        """The standing is computed, not stored: computed for the rows the other filters keep
        (a fixed number of queries), then kept by id."""
        if not value:
            return queryset
        standings = objective_standings(list(queryset))
        return queryset.filter(pk__in=[pk for pk, found in standings.items() if found.standing == value])
