from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from amelio.core.filtersets import StyledFilterSet
from amelio.organisation.models import AcademicYear, Department, Programme

from .choices import CONTACT_ROLE_FIELDS, AgreementKind, AgreementStatus, ContactRole, InterventionKind
from .models import Company, Contact, Intervention, PartnershipAgreement
from .selectors import EXPIRING_WITHIN_DAYS, expiring_agreements


class CompanyFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = Company
        fields = ["size", "country", "is_active"]

    def search(self, queryset: QuerySet[Company], name: str, value: str) -> QuerySet[Company]:
        return queryset.filter(
            Q(legal_name__icontains=value)
            | Q(trade_name__icontains=value)
            | Q(siret__startswith=value.replace(" ", ""))
        )


class ContactFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    role = django_filters.ChoiceFilter(label=_("Role"), choices=ContactRole.choices, method="with_role")

    class Meta:
        model = Contact
        fields = ["is_active"]

    def search(self, queryset: QuerySet[Contact], name: str, value: str) -> QuerySet[Contact]:
        return queryset.filter(
            Q(last_name__icontains=value)
            | Q(first_name__icontains=value)
            | Q(email__icontains=value)
            | Q(job_title__icontains=value)
            | Q(company__legal_name__icontains=value)
            | Q(company__trade_name__icontains=value)
        )

    def with_role(self, queryset: QuerySet[Contact], name: str, value: str) -> QuerySet[Contact]:
        field = CONTACT_ROLE_FIELDS.get(ContactRole(value)) if value in ContactRole.values else None
        return queryset.filter(**{field: True}) if field else queryset


class AgreementFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=AgreementKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AgreementStatus.choices)
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), queryset=Department.objects.order_by("name"), field_name="departments"
    )
    expiring = django_filters.BooleanFilter(label=_("Ending within 90 days"), method="only_expiring")

    class Meta:
        model = PartnershipAgreement
        fields = ["kind", "status", "department"]

    def search(self, queryset: QuerySet[PartnershipAgreement], name: str, value: str) -> QuerySet[PartnershipAgreement]:
        return queryset.filter(
            Q(title__icontains=value)
            | Q(company__legal_name__icontains=value)
            | Q(company__trade_name__icontains=value)
        )

    def only_expiring(
        self, queryset: QuerySet[PartnershipAgreement], name: str, value: bool | None
    ) -> QuerySet[PartnershipAgreement]:
        if value is None:
            return queryset
        expiring = expiring_agreements(queryset, within_days=EXPIRING_WITHIN_DAYS).values("pk")
        return queryset.filter(pk__in=expiring) if value else queryset.exclude(pk__in=expiring)


class InterventionFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    academic_year = django_filters.ModelChoiceFilter(
        label=_("Academic year"), queryset=AcademicYear.objects.order_by("-starts_on")
    )
    department = django_filters.ModelChoiceFilter(label=_("Department"), queryset=Department.objects.order_by("name"))
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=Programme.objects.order_by("department__name", "name")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=InterventionKind.choices)

    class Meta:
        model = Intervention
        fields = ["academic_year", "department", "programme", "kind"]

    def search(self, queryset: QuerySet[Intervention], name: str, value: str) -> QuerySet[Intervention]:
        return queryset.filter(
            Q(course__icontains=value)
            | Q(speaker__last_name__icontains=value)
            | Q(company__legal_name__icontains=value)
            | Q(company__trade_name__icontains=value)
        )
