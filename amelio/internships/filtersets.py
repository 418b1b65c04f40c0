from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from amelio.core.filtersets import StyledFilterSet
from amelio.organisation.choices import PersonKind
from amelio.organisation.models import AcademicYear, Department, Person
from amelio.partners.models import Company

from .choices import InternshipKind, InternshipStatus
from .models import Internship, Milestone


class InternshipFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=InternshipKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=InternshipStatus.choices)
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), field_name="programme__department", queryset=Department.objects.order_by("name")
    )
    company = django_filters.ModelChoiceFilter(label=_("Company"), queryset=Company.objects.order_by("legal_name"))

    class Meta:
        model = Internship
        fields = ["academic_year", "kind", "status", "department", "company"]

    def search(self, queryset: QuerySet[Internship], name: str, value: str) -> QuerySet[Internship]:
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(student__last_name__icontains=value)
            | Q(company__legal_name__icontains=value)
            | Q(subject__icontains=value)
        )


class FollowUpFilterSet(StyledFilterSet):
    """The follow-up board's filters. The academic year is the current one unless the query
    asks for another or for all (views.FollowUpBoardView)."""

    academic_year = django_filters.ModelChoiceFilter(
        label=_("Academic year"),
        field_name="internship__academic_year",
        queryset=AcademicYear.objects.order_by("-starts_on"),
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        field_name="internship__programme__department",
        queryset=Department.objects.order_by("name"),
    )
    tutor = django_filters.ModelChoiceFilter(
        label=_("Academic tutor"),
        field_name="internship__academic_tutor",
        queryset=Person.objects.filter(kind=PersonKind.TEACHER).order_by("last_name", "first_name"),
    )
    mine = django_filters.BooleanFilter(label=_("Only the interns I tutor"), method="only_mine")
    late = django_filters.BooleanFilter(label=_("Late only"), field_name="is_late")

    class Meta:
        model = Milestone
        fields: list[str] = []

    def only_mine(self, queryset: QuerySet[Milestone], name: str, value: bool | None) -> QuerySet[Milestone]:
        if not value or self.request is None:
            return queryset
        return queryset.filter(internship__academic_tutor_id=self.request.user.pk)
