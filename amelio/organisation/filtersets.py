from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from amelio.core.filtersets import StyledFilterSet

from .choices import PersonKind, Role, ScopeKind
from .models import AcademicYear, Department, Person, Programme, RoleAssignment


class DepartmentFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = Department
        fields = ["is_active"]

    def search(self, queryset: QuerySet[Department], name: str, value: str) -> QuerySet[Department]:
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class ProgrammeFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = Programme
        fields = ["department", "is_apprenticeship", "is_active"]

    def search(self, queryset: QuerySet[Programme], name: str, value: str) -> QuerySet[Programme]:
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class PersonFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PersonKind.choices)
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices, method="with_role")

    class Meta:
        model = Person
        fields = ["department", "is_active"]

    def search(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return queryset.filter(
            Q(first_name__icontains=value) | Q(last_name__icontains=value) | Q(email__icontains=value)
        )

    def with_role(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return queryset.filter(role_assignments__role=value).distinct()


class RoleAssignmentFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Person"), method="search")
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices)
    scope_kind = django_filters.ChoiceFilter(label=_("Scope"), choices=ScopeKind.choices)

    class Meta:
        model = RoleAssignment
        fields = ["department", "process"]

    def search(self, queryset: QuerySet[RoleAssignment], name: str, value: str) -> QuerySet[RoleAssignment]:
        return queryset.filter(
            Q(person__first_name__icontains=value)
            | Q(person__last_name__icontains=value)
            | Q(person__email__icontains=value)
        )


class AcademicYearFilterSet(StyledFilterSet):
    class Meta:
        model = AcademicYear
        fields = ["is_current"]
