from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from amelio.core import clock
from amelio.core.filtersets import StyledFilterSet
from amelio.processes.models import Process

from .choices import DocumentKind, DocumentStatus
from .models import Document


class DocumentFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    process = django_filters.ModelChoiceFilter(
        label=_("Process"), queryset=Process.objects.order_by("code"), field_name="processes", distinct=True
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DocumentKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=DocumentStatus.choices)
    review_overdue = django_filters.BooleanFilter(label=_("Review overdue"), method="only_overdue")

    class Meta:
        model = Document
        fields = ["q", "process", "kind", "status", "review_overdue"]

    def search(self, queryset: QuerySet[Document], name: str, value: str) -> QuerySet[Document]:
        return queryset.filter(
            Q(reference__icontains=value) | Q(title__icontains=value) | Q(description__icontains=value)
        )

    def only_overdue(self, queryset: QuerySet[Document], name: str, value: bool | None) -> QuerySet[Document]:
        overdue = Q(status=DocumentStatus.IN_FORCE, review_due_on__lt=clock.today())
        if value is None:
            return queryset
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
