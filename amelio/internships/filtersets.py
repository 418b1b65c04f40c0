from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from amelio.core.filtersets import StyledFilterSet

from .choices import InternshipKind, InternshipStatus
from .models import Internship


class InternshipFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=InternshipKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=InternshipStatus.choices)
    department = django_filters.NumberFilter(
        field_name="programme__department", widget=django_filters.widgets.forms.HiddenInput
    )

    class Meta:
        model = Internship
        fields = ["academic_year", "kind", "status"]

    def search(self, queryset: QuerySet[Internship], name: str, value: str) -> QuerySet[Internship]:
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(student__last_name__icontains=value)
            | Q(company__legal_name__icontains=value)
            | Q(subject__icontains=value)
        )
