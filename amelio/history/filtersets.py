from __future__ import annotations

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from amelio.core.filtersets import StyledFilterSet
from amelio.core.forms import DateInput
from amelio.organisation.models import Person

from .choices import HistoryAction
from .models import HistoryEntry

TRACKED_APPS = ["organisation", "processes", "standards"]


class RecordTypeChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj: ContentType) -> str:
        model = obj.model_class()
        return str(model._meta.verbose_name).capitalize() if model else obj.model


class RecordTypeFilter(django_filters.ModelChoiceFilter):
    field_class = RecordTypeChoiceField


class HistoryEntryFilterSet(StyledFilterSet):
    actor = django_filters.ModelChoiceFilter(
        label=_("Person"),
        queryset=Person.objects.filter(kind__in=["staff", "teacher", "external"]).only(
            "id", "first_name", "last_name", "email"
        ),
    )
    content_type = RecordTypeFilter(
        label=_("Record type"), queryset=ContentType.objects.filter(app_label__in=TRACKED_APPS).order_by("model")
    )
    action = django_filters.ChoiceFilter(label=_("Action"), choices=HistoryAction.choices)
    since = django_filters.DateFilter(
        label=_("From"), field_name="timestamp", lookup_expr="date__gte", widget=DateInput()
    )
    until = django_filters.DateFilter(
        label=_("To"), field_name="timestamp", lookup_expr="date__lte", widget=DateInput()
    )
    q = django_filters.CharFilter(label=_("Record or reason"), method="search")

    class Meta:
        model = HistoryEntry
        fields = ["actor", "content_type", "action"]

    def search(self, queryset: QuerySet[HistoryEntry], name: str, value: str) -> QuerySet[HistoryEntry]:
        return queryset.filter(Q(object_repr__icontains=value) | Q(reason__icontains=value))
