from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amelio.core.filtersets import StyledFilterSet
from amelio.organisation.models import Person

from .choices import OPEN_ACTION_STATUSES, OPEN_ITEM_STATUSES, ActionKind, ActionStatus, ItemStatus, Origin
from .models import Action, ImprovementItem
from .selectors import due_soon_until, overdue_actions_of_item, waiting_on


class ItemFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    origin = django_filters.ChoiceFilter(label=_("Origin"), choices=Origin.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ItemStatus.choices)
    open = django_filters.BooleanFilter(label=_("Open only"), method="only_open")
    owner = django_filters.ModelChoiceFilter(
        label=_("Action owner"),
        queryset=Person.objects.filter(Exists(Action.objects.filter(owner=OuterRef("pk")))),
        method="with_action_owner",
    )
    overdue = django_filters.BooleanFilter(label=_("With an overdue action"), method="only_overdue")
    waiting = django_filters.BooleanFilter(label=_("Waiting on me"), method="only_waiting")

    class Meta:
        model = ImprovementItem
        fields = ["origin", "status", "process", "department"]

    def search(self, queryset: QuerySet[ImprovementItem], name: str, value: str) -> QuerySet[ImprovementItem]:
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value))

    def only_open(
        self, queryset: QuerySet[ImprovementItem], name: str, value: bool | None
    ) -> QuerySet[ImprovementItem]:
        if value is None:
            return queryset
        return (
            queryset.filter(status__in=OPEN_ITEM_STATUSES) if value else queryset.exclude(status__in=OPEN_ITEM_STATUSES)
        )

    def with_action_owner(
        self, queryset: QuerySet[ImprovementItem], name: str, value: Person
    ) -> QuerySet[ImprovementItem]:
        return queryset.filter(actions__owner=value).distinct() if value else queryset

    def only_overdue(
        self, queryset: QuerySet[ImprovementItem], name: str, value: bool | None
    ) -> QuerySet[ImprovementItem]:
        if value is None:
            return queryset
        overdue = Exists(overdue_actions_of_item(timezone.localdate()))
        return queryset.filter(overdue if value else ~overdue)

    def only_waiting(
        self, queryset: QuerySet[ImprovementItem], name: str, value: bool | None
    ) -> QuerySet[ImprovementItem]:
        """The items on which the person is the one to act (the home page's count links here)."""
        if value is None or self.request is None:
            return queryset
        waiting = waiting_on(self.request.user)
        return queryset.filter(waiting) if value else queryset.exclude(waiting)


class ActionFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ActionKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ActionStatus.choices)
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=Person.objects.filter(Exists(Action.objects.filter(owner=OuterRef("pk"))))
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="only_overdue")
    due_soon = django_filters.BooleanFilter(label=_("Due within 7 days"), method="only_due_soon")
    standalone = django_filters.BooleanFilter(label=_("Without item"), field_name="item", lookup_expr="isnull")

    class Meta:
        model = Action
        fields = ["kind", "status", "owner", "process", "department"]

    def search(self, queryset: QuerySet[Action], name: str, value: str) -> QuerySet[Action]:
        return queryset.filter(Q(title__icontains=value) | Q(item__reference__icontains=value))

    def only_overdue(self, queryset: QuerySet[Action], name: str, value: bool | None) -> QuerySet[Action]:
        if value is None:
            return queryset
        overdue = Q(status__in=OPEN_ACTION_STATUSES, due_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def only_due_soon(self, queryset: QuerySet[Action], name: str, value: bool | None) -> QuerySet[Action]:
        if value is None:
            return queryset
        today = timezone.localdate()
        soon = Q(status__in=OPEN_ACTION_STATUSES, due_on__gte=today, due_on__lte=due_soon_until(today))
        return queryset.filter(soon) if value else queryset.exclude(soon)
