from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from amelio.core.filtersets import StyledFilterSet

from .models import AccessLogEntry


class AccessLogFilterSet(StyledFilterSet):
    person = django_filters.ModelChoiceFilter(
        label=_("Person"),
        queryset=get_user_model()
        .objects.filter(pk__in=AccessLogEntry.objects.values("person_id"))
        .order_by("last_name", "first_name", "id"),
    )
    opened_after = django_filters.DateFilter(label=_("From"), field_name="opened_at", lookup_expr="date__gte")
    opened_before = django_filters.DateFilter(label=_("To"), field_name="opened_at", lookup_expr="date__lte")
    is_file = django_filters.BooleanFilter(label=_("Files only"))
    path = django_filters.CharFilter(label=_("Page contains"), lookup_expr="icontains")

    class Meta:
        model = AccessLogEntry
        fields = ["person", "opened_after", "opened_before", "is_file", "path"]
