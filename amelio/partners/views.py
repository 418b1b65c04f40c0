"""Pages of company partnerships."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from amelio.core.views import FilteredListView, PermissionRequiredMixin
from amelio.history.selectors import object_history

from . import selectors
from .filtersets import CompanyFilterSet
from .models import Company, PartnershipAgreement
from .tables import CompanyTable


class CompanyListView(FilteredListView):
    table_class = CompanyTable
    filterset_class = CompanyFilterSet
    permission_action = "partners.view_companies"
    title = gettext_lazy("Companies")
    export_basename = "companies"

    def get_queryset(self) -> QuerySet[Company]:
        return selectors.company_list(user=self.request.user)


class CompanyDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "partners/company_detail.html"
    permission_action = "partners.view_companies"

    def get_object(self) -> Company:
        return selectors.company_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            company=self.object, history=object_history(user=self.request.user, instance=self.object), **kwargs
        )


class AgreementDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "partners/agreement_detail.html"
    permission_action = "partners.view_companies"

    def get_object(self) -> PartnershipAgreement:
        return selectors.agreement_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            agreement=self.object, history=object_history(user=self.request.user, instance=self.object), **kwargs
        )
