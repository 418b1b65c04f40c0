from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amelio.core.filtersets import StyledFilterSet
from amelio.organisation.models import Person
from amelio.processes.models import Process

from .choices import CURRENT_RISK_STATUSES, LARGEST_SCALE_VALUE, RiskKind, RiskStatus, Treatment
from .models import Risk

LARGEST_SCORE = LARGEST_SCALE_VALUE * LARGEST_SCALE_VALUE


def _scale_filter(label: Any, field_name: str) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(label=label, field_name=field_name, min_value=1, max_value=LARGEST_SCALE_VALUE)


class RiskFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    process = django_filters.ModelChoiceFilter(
        label=_("Process"), queryset=Process.objects.filter(Exists(Risk.objects.filter(process=OuterRef("pk"))))
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=RiskKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RiskStatus.choices)
    current = django_filters.BooleanFilter(label=_("Not closed"), method="only_current")
    treatment = django_filters.ChoiceFilter(label=_("Treatment"), choices=Treatment.choices)
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=Person.objects.filter(Exists(Risk.objects.filter(owner=OuterRef("pk"))))
    )
    score_min = django_filters.NumberFilter(
        label=_("Score from"), field_name="score", lookup_expr="gte", min_value=1, max_value=LARGEST_SCORE
    )
    score_max = django_filters.NumberFilter(
        label=_("Score up to"), field_name="score", lookup_expr="lte", min_value=1, max_value=LARGEST_SCORE
    )
    overdue = django_filters.BooleanFilter(label=_("Review overdue"), method="only_overdue")
    likelihood = _scale_filter(_("Likelihood"), "likelihood")
    impact = _scale_filter(_("Impact"), "impact")
    residual_likelihood = _scale_filter(_("Residual likelihood"), "residual_likelihood")
    residual_impact = _scale_filter(_("Residual impact"), "residual_impact")

    class Meta:
        model = Risk
        fields: list[str] = []

    def search(self, queryset: QuerySet[Risk], name: str, value: str) -> QuerySet[Risk]:
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value))

    def only_current(self, queryset: QuerySet[Risk], name: str, value: bool | None) -> QuerySet[Risk]:
        if value is None:
            return queryset
        current = Q(status__in=CURRENT_RISK_STATUSES)
        return queryset.filter(current) if value else queryset.exclude(current)

    def only_overdue(self, queryset: QuerySet[Risk], name: str, value: bool | None) -> QuerySet[Risk]:
        if value is None:
            return queryset
        overdue = Q(status__in=CURRENT_RISK_STATUSES, review_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
