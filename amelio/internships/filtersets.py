from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from amelio.core.filtersets import StyledFilterSet

from .choices import InternshipKind, InternshipStatus
from .models import Internship
from .selectors import waiting_on


class InternshipFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=InternshipKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=InternshipStatus.choices)
    waiting = django_filters.ChoiceFilter(
        label=_("Waiting on me"),
        choices=[("check", _("to check")), ("validate", _("to validate")), ("sign", _("to sign"))],
        method="waiting_on_me",
    )
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

    def waiting_on_me(self, queryset: QuerySet[Internship], name: str, value: str) -> QuerySet[Internship]:
        """The agreements waiting on the person's step (the home page's counts link here);
        a step that is not theirs selects nothing."""
        if not value or self.request is None:
            return queryset
        condition = waiting_on(self.request.user).get(value)
        return queryset.filter(condition) if condition is not None else queryset.none()
