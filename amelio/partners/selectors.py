"""Reads of company partnerships, narrowed to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from amelio.organisation.scoping import visible

from .models import Company, PartnershipAgreement


def company_list(*, user: Any) -> QuerySet[Company]:
    return visible(
        user,
        Company.objects.filter(merged_into__isnull=True).annotate(internship_count=Count("internships", distinct=True)),
    ).order_by("legal_name", "id")


def company_get(*, user: Any, pk: int) -> Company:
    return get_object_or_404(visible(user, Company.objects.select_related("merged_into")), pk=pk)


def agreement_get(*, user: Any, pk: int) -> PartnershipAgreement:
    return get_object_or_404(
        visible(user, PartnershipAgreement.objects.select_related("company", "owner")).prefetch_related("departments"),
        pk=pk,
    )
