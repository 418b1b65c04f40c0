from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amelio.core.filtersets import StyledFilterSet
from amelio.organisation.choices import PersonKind
from amelio.organisation.models import AcademicYear, Department, Person
from amelio.partners.models import Company

from .choices import InternshipKind, InternshipStatus
from .models import Internship, Milestone
from .selectors import MILESTONE_WHEN, milestone_when, waiting_on


class InternshipFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=InternshipKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=InternshipStatus.choices)
    waiting = django_filters.ChoiceFilter(
        label=_("Waiting on me"),
        choices=[("check", _("to check")), ("validate", _("to validate")), ("sign", _("to sign"))],
        method="waiting_on_me",
    )
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

    def waiting_on_me(self, queryset: QuerySet[Internship], name: str, value: str) -> QuerySet[Internship]:
        """The agreements waiting on the person's step (the home page's counts link here);
        a step that is not theirs selects nothing."""
        if not value or self.request is None:
            return queryset
        condition = waiting_on(self.request.user).get(value)
        return queryset.filter(condition) if condition is not None else queryset.none()


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
    # The home page's counts link here: late, or due within the coming week.
    when = django_filters.ChoiceFilter(
        label=_("Due"),
        choices=[("late", _("Late")), ("soon", _("Due within 7 days"))],
        method="due_when",
    )

    class Meta:
        model = Milestone
        fields: list[str] = []

    def only_mine(self, queryset: QuerySet[Milestone], name: str, value: bool | None) -> QuerySet[Milestone]:
        if not value or self.request is None:
            return queryset
        # The interns they tutor, or, for a student, their own internships.
        user_id = self.request.user.pk
        return queryset.filter(Q(internship__academic_tutor_id=user_id) | Q(internship__student_id=user_id))

    def due_when(self, queryset: QuerySet[Milestone], name: str, value: str) -> QuerySet[Milestone]:
        if value not in MILESTONE_WHEN:
            return queryset
        return queryset.filter(milestone_when(value, timezone.localdate()))
