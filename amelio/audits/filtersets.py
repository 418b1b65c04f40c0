from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amelio.core.filtersets import StyledFilterSet
from amelio.processes.models import Process

from .choices import OPEN_AUDIT_STATUSES, AuditKind, AuditStatus
from .models import Audit, AuditProgramme


class AuditFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=AuditKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AuditStatus.choices)
    programme = django_filters.ModelChoiceFilter(label=_("Programme"), queryset=AuditProgramme.objects.all())
    process = django_filters.ModelChoiceFilter(
        label=_("Process"), field_name="processes", queryset=Process.objects.all(), distinct=True
    )
    late = django_filters.BooleanFilter(label=_("Late"), method="only_late")

    class Meta:
        model = Audit
        fields: list[str] = []

    def search(self, queryset: QuerySet[Audit], name: str, value: str) -> QuerySet[Audit]:
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value))

    def only_late(self, queryset: QuerySet[Audit], name: str, value: bool | None) -> QuerySet[Audit]:
        if value is None:
            return queryset
        late = Q(status__in=OPEN_AUDIT_STATUSES, ends_on__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class ProgrammeFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="title", lookup_expr="icontains")

    class Meta:
        model = AuditProgramme
        fields: list[str] = []
