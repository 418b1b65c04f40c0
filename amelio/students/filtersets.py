from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from amelio.core.filtersets import StyledFilterSet
from amelio.organisation.models import Department, Programme

from .choices import StudentStatus
from .models import Student


class StudentFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), field_name="programme__department", queryset=Department.objects.all()
    )
    programme = django_filters.ModelChoiceFilter(label=_("Programme"), queryset=Programme.objects.all())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=StudentStatus.choices)

    class Meta:
        model = Student
        fields: list[str] = []

    def search(self, queryset: QuerySet[Student], name: str, value: Any) -> QuerySet[Student]:
        value = value.strip()
        return queryset.filter(Q(last_name__icontains=value) | Q(first_name__icontains=value) | Q(ine__iexact=value))
