"""Reads of company partnerships, narrowed to what the user may see."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from amelio.core.models import StoredFile
from amelio.core.permissions import visible

from .choices import RUNNING_AGREEMENT_STATUSES
from .models import Company, Contact, Intervention, PartnershipAgreement, Site, TeachingVolume

EXPIRING_WITHIN_DAYS = 90


# Companies ----------------------------------------------------------------------------


def company_list(*, user: Any) -> QuerySet[Company]:
    return visible(
        user,
        Company.objects.filter(merged_into__isnull=True).annotate(internship_count=Count("internships", distinct=True)),
    ).order_by("legal_name", "id")


def company_get(*, user: Any, pk: int) -> Company:
    """Any record, merged ones included (their page leads to the record kept)."""
    return get_object_or_404(visible(user, Company.objects.select_related("merged_into")), pk=pk)


def live_company_get(*, user: Any, pk: int) -> Company:
    """A company that still stands on its own: one merged into another is edited, extended
    and merged no more (its page leads to the one it became)."""
    company = company_get(user=user, pk=pk)
    if company.merged_into_id is not None:
        raise Http404
    return company


def company_choices(*, user: Any) -> QuerySet[Company]:
    """Live records, light, for a choice list."""
    return visible(user, Company.objects.filter(merged_into__isnull=True)).only(
        "id", "legal_name", "trade_name", "siret", "city"
    )


def _latest_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: row["academic_year__starts_on"], reverse=True)


@dataclass
class CompanyDossier:
    """Everything the school does with a company, over the years."""

    company: Company
    sites: list[Site] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    agreements: list[PartnershipAgreement] = field(default_factory=list)
    teaching_per_year: list[dict[str, Any]] = field(default_factory=list)
    merged_records: list[Company] = field(default_factory=list)

    @property
    def alumni(self) -> list[Contact]:
        return [contact for contact in self.contacts if contact.is_alumni]


def company_dossier(*, user: Any, company: Company) -> CompanyDossier:
    """The company page's own figures, in a fixed number of queries whatever the number of
    interventions. The apps built on partners add their sections (partners.hooks)."""
    dossier = CompanyDossier(company=company)
    dossier.sites = list(visible(user, Site.objects.filter(company=company)).order_by("name", "id"))
    dossier.contacts = list(visible(user, Contact.objects.filter(company=company)).order_by("last_name", "first_name"))
    dossier.agreements = list(
        visible(user, PartnershipAgreement.objects.filter(company=company))
        .select_related("owner")
        .prefetch_related("departments")
        .order_by("-starts_on", "id")
    )
    teaching = (
        company.interventions.order_by()
        .values("academic_year__label", "academic_year__starts_on")
        .annotate(planned=Sum("planned_hours"), delivered=Sum("delivered_hours"), count=Count("id"))
    )
    dossier.teaching_per_year = _latest_first([dict(row) for row in teaching])
    dossier.merged_records = list(Company.objects.filter(merged_into=company).order_by("legal_name"))
    return dossier


# Sites and contacts ------------------------------------------------------------------


def site_get(*, user: Any, pk: int) -> Site:
    return get_object_or_404(visible(user, Site.objects.select_related("company")), pk=pk)


def contact_list(*, user: Any) -> QuerySet[Contact]:
    return visible(user, Contact.objects.filter(company__merged_into__isnull=True).select_related("company")).order_by(
        "last_name", "first_name", "id"
    )


def contact_get(*, user: Any, pk: int) -> Contact:
    return get_object_or_404(visible(user, Contact.objects.select_related("company")), pk=pk)


def contact_choices(*, user: Any) -> QuerySet[Contact]:
    return visible(
        user, Contact.objects.filter(is_active=True, company__merged_into__isnull=True).select_related("company")
    ).order_by("last_name", "first_name", "id")


# Partnership agreements ----------------------------------------------------------------


def agreement_list(*, user: Any) -> QuerySet[PartnershipAgreement]:
    return (
        visible(user, PartnershipAgreement.objects.select_related("company", "owner"))
        .prefetch_related("departments")
        .order_by("-starts_on", "id")
    )


def agreement_get(*, user: Any, pk: int) -> PartnershipAgreement:
    return get_object_or_404(
        visible(user, PartnershipAgreement.objects.select_related("company", "owner", "signatory")).prefetch_related(
            "departments", Prefetch("files", queryset=StoredFile.objects.select_related("uploaded_by"))
        ),
        pk=pk,
    )


def expiring_agreements(queryset: QuerySet[PartnershipAgreement], *, within_days: int = EXPIRING_WITHIN_DAYS) -> Any:
    today = timezone.localdate()
    return queryset.filter(
        status__in=RUNNING_AGREEMENT_STATUSES,
        ends_on__gte=today,
        ends_on__lte=today + datetime.timedelta(days=within_days),
    )


# Teaching by professionals -------------------------------------------------------------


def intervention_list(*, user: Any) -> QuerySet[Intervention]:
    return visible(
        user,
        Intervention.objects.select_related("speaker", "company", "programme", "department", "academic_year"),
    ).order_by("-academic_year__starts_on", "course", "id")


def intervention_get(*, user: Any, pk: int) -> Intervention:
    return get_object_or_404(intervention_list(user=user), pk=pk)


def teaching_volume_list(*, user: Any) -> QuerySet[TeachingVolume]:
    return visible(user, TeachingVolume.objects.select_related("programme__department", "academic_year")).order_by(
        "-academic_year__starts_on", "programme__department__name", "programme__name"
    )


@dataclass
class ShareRow:
    """Professional hours delivered against the total teaching hours of a programme (or a
    department's programmes); the share is unknown while a total is missing."""

    label: str
    professional_hours: Decimal
    total_hours: Decimal | None
    is_department: bool = False

    @property
    def share(self) -> Decimal | None:
        if not self.total_hours:
            return None
        return (self.professional_hours / self.total_hours * 100).quantize(Decimal("0.1"))


@dataclass
class YearFigures:
    label: str
    rows: list[ShareRow]


def professional_teaching_figures(*, user: Any) -> list[YearFigures]:
    """For each academic year, each department and its programmes: the hours delivered by
    professionals, the programme's total teaching hours and the share. Two queries."""
    delivered = (
        visible(user, Intervention.objects.order_by())
        .values(
            "academic_year__label",
            "academic_year__starts_on",
            "department__name",
            "programme_id",
            "programme__name",
        )
        .annotate(hours=Sum("delivered_hours"))
    )
    volumes = visible(user, TeachingVolume.objects.order_by()).values(
        "academic_year__label",
        "academic_year__starts_on",
        "programme__department__name",
        "programme_id",
        "programme__name",
        "total_hours",
    )
    # year -> department -> programme -> [name, professional hours, total hours]
    years: dict[tuple[Any, str], dict[str, dict[int, list[Any]]]] = defaultdict(lambda: defaultdict(dict))
    for row in delivered:
        year = (row["academic_year__starts_on"], row["academic_year__label"])
        programmes = years[year][row["department__name"]]
        entry = programmes.setdefault(row["programme_id"], [row["programme__name"], Decimal("0"), None])
        entry[1] += row["hours"] or Decimal("0")
    for row in volumes:
        year = (row["academic_year__starts_on"], row["academic_year__label"])
        programmes = years[year][row["programme__department__name"]]
        entry = programmes.setdefault(row["programme_id"], [row["programme__name"], Decimal("0"), None])
        entry[2] = row["total_hours"]
    figures = []
    for (_starts_on, label), departments in sorted(years.items(), key=lambda item: item[0][0], reverse=True):
        rows: list[ShareRow] = []
        for department_name in sorted(departments):
            entries = sorted(departments[department_name].values(), key=lambda entry: entry[0])
            totals = [entry[2] for entry in entries]
            rows.append(
                ShareRow(
                    label=department_name,
                    professional_hours=sum((entry[1] for entry in entries), Decimal("0")),
                    # A department's share is known only when every programme's total is.
                    total_hours=sum(totals, Decimal("0")) if all(total is not None for total in totals) else None,
                    is_department=True,
                )
            )
            rows.extend(
                ShareRow(label=name, professional_hours=hours, total_hours=total) for name, hours, total in entries
            )
        figures.append(YearFigures(label=label, rows=rows))
    return figures
