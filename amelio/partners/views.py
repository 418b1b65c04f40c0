"""Pages of company partnerships: companies with everything the school does with them,
their sites and contacts, partnership agreements and their workflow, teaching given by
professionals and its share of each programme's teaching."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from amelio.core.permissions import can
from amelio.core.views import (
    FilteredListView,
    ModelServiceFormView,
    PermissionRequiredMixin,
    ServiceFormView,
    add_validation_error,
    query_id,
)
from amelio.history.selectors import object_history
from amelio.organisation.choices import Role
from amelio.organisation.permissions import roles_of
from amelio.organisation.selectors import programme_list

from . import selectors, services
from .filtersets import AgreementFilterSet, CompanyFilterSet, ContactFilterSet, InterventionFilterSet
from .forms import (
    AgreementForm,
    CompanyCreateForm,
    CompanyForm,
    CompanyMergeForm,
    ContactForm,
    InterventionForm,
    SiteForm,
    TeachingVolumeForm,
)
from .hooks import company_sections
from .models import Company, Contact, Intervention, PartnershipAgreement, Site
from .tables import AgreementTable, CompanyTable, ContactTable, InterventionTable
from .workflows import AGREEMENT_WORKFLOW


def _manageable_programmes(user: Any) -> QuerySet[Any]:
    """Programmes whose teaching the user records: all for the office and management, the
    programmes of their departments for a department head."""
    programmes = programme_list(user=user).filter(is_active=True).order_by("department__name", "name")
    if can(user, "partners.manage_companies"):
        return programmes
    return programmes.filter(department__in=roles_of(user).departments_for(Role.DEPARTMENT_HEAD))


# Companies ----------------------------------------------------------------------------


class CompanyListView(FilteredListView):
    template_name = "partners/list.html"
    table_class = CompanyTable
    filterset_class = CompanyFilterSet
    permission_action = "partners.view_companies"
    title = gettext_lazy("Companies")
    export_basename = "companies"

    def get_queryset(self) -> QuerySet[Company]:
        return selectors.company_list(user=self.request.user)

    def get_create_url(self) -> str | None:
        return reverse("partners:company_create") if can(self.request.user, "partners.manage_companies") else None


class CompanyCreateView(ModelServiceFormView):
    """A new company; probable duplicates are listed and must be confirmed."""

    form_class = CompanyCreateForm
    permission_action = "partners.manage_companies"
    template_name = "partners/company_form.html"
    title = gettext_lazy("New company")
    success_message = gettext_lazy("The company was recorded.")
    duplicates: list[Company] = []

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            duplicates=self.duplicates, cancel_url=reverse("partners:company_list"), **kwargs
        )

    def form_valid(self, form: CompanyCreateForm) -> HttpResponse:
        data = {name: value for name, value in form.cleaned_data.items() if name != "confirm_duplicate"}
        try:
            company = services.company_create(
                actor=self.request.user, data=data, confirm_duplicate=form.cleaned_data["confirm_duplicate"]
            )
        except services.ProbableDuplicateError as error:
            self.duplicates = error.duplicates
            form.ask_confirmation()
            form.add_error("confirm_duplicate", error)
            return self.form_invalid(form)
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(company.get_absolute_url())


class CompanyUpdateView(ModelServiceFormView):
    form_class = CompanyForm
    permission_action = "partners.manage_companies"
    success_message = gettext_lazy("The company was saved.")

    def get_object(self) -> Company:
        return selectors.live_company_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("Edit %(name)s") % {"name": self.object.legal_name},
            history=object_history(user=self.request.user, instance=self.object),
            **kwargs,
        )

    def perform(self, form: CompanyForm) -> Company:
        services.company_update(
            actor=self.request.user, company=self.object, data=self.service_data(form), version=self.form_version(form)
        )
        return self.object


class CompanyMergeView(ServiceFormView):
    """Absorb a duplicate record into this one."""

    form_class = CompanyMergeForm
    permission_action = "partners.manage_companies"
    success_message = gettext_lazy("The records were merged.")

    def get_object(self) -> Company:
        return selectors.live_company_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["companies"] = selectors.company_choices(user=self.request.user).exclude(pk=self.object.pk)
        if "absorbed" in self.request.GET:
            kwargs.setdefault("initial", {})["absorbed"] = self.request.GET["absorbed"]
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("Merge a duplicate into %(name)s") % {"name": self.object.legal_name},
            cancel_url=self.object.get_absolute_url(),
            submit_label=_("Merge"),
            danger=True,
            **kwargs,
        )

    def perform(self, form: CompanyMergeForm) -> Company:
        return services.company_merge(
            actor=self.request.user,
            keep=self.object,
            absorbed=form.cleaned_data["absorbed"],
            reason=form.cleaned_data["reason"],
        )


class CompanyDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "partners/company_detail.html"
    permission_action = "partners.view_companies"

    def get_object(self) -> Company:
        return selectors.company_get(user=self.request.user, pk=self.kwargs["pk"])

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.object.merged_into is not None:
            messages.info(
                request,
                _("“%(absorbed)s” was merged into “%(kept)s”.")
                % {"absorbed": self.object.legal_name, "kept": self.object.merged_into.legal_name},
            )
            return HttpResponseRedirect(self.object.merged_into.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        return super().get_context_data(
            company=self.object,
            dossier=selectors.company_dossier(user=user, company=self.object),
            company_sections=company_sections(user=user, company=self.object),
            can_manage=can(user, "partners.manage_companies", self.object),
            can_add_agreement=can(user, "partners.manage_agreement", None),
            history=object_history(user=user, instance=self.object),
            **kwargs,
        )


# Sites and contacts ------------------------------------------------------------------


class CompanyPartView(ModelServiceFormView):
    """A site or a contact, added on or edited from its company's page."""

    permission_action = "partners.manage_companies"

    def company(self) -> Company:
        return self.object if isinstance(self.object, Company) else self.object.company

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if isinstance(self.object, Company):
            kwargs.pop("instance", None)
        return kwargs

    def get_success_url_for(self, result: Any) -> str:
        return self.company().get_absolute_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.company().get_absolute_url()
        return context


class SiteCreateView(CompanyPartView):
    form_class = SiteForm
    success_message = gettext_lazy("The site was added.")

    def get_object(self) -> Company:
        return selectors.live_company_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("New site of %(name)s") % {"name": self.object}, **kwargs)

    def perform(self, form: SiteForm) -> Site:
        return services.site_create(actor=self.request.user, company=self.object, data=self.service_data(form))


class SiteUpdateView(CompanyPartView):
    form_class = SiteForm
    success_message = gettext_lazy("The site was saved.")

    def get_object(self) -> Site:
        return selectors.site_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("Edit the site %(name)s") % {"name": self.object},
            history=object_history(user=self.request.user, instance=self.object),
            **kwargs,
        )

    def perform(self, form: SiteForm) -> Site:
        services.site_update(
            actor=self.request.user, site=self.object, data=self.service_data(form), version=self.form_version(form)
        )
        return self.object


class ContactCreateView(CompanyPartView):
    form_class = ContactForm
    success_message = gettext_lazy("The contact was added.")

    def get_object(self) -> Company:
        return selectors.live_company_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("New contact at %(name)s") % {"name": self.object}, **kwargs)

    def perform(self, form: ContactForm) -> Contact:
        return services.contact_create(actor=self.request.user, company=self.object, data=self.service_data(form))


class ContactUpdateView(CompanyPartView):
    form_class = ContactForm
    success_message = gettext_lazy("The contact was saved.")

    def get_object(self) -> Contact:
        return selectors.contact_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("Edit the contact %(name)s (%(company)s)") % {"name": self.object, "company": self.object.company},
            history=object_history(user=self.request.user, instance=self.object),
            **kwargs,
        )

    def perform(self, form: ContactForm) -> Contact:
        services.contact_update(
            actor=self.request.user, contact=self.object, data=self.service_data(form), version=self.form_version(form)
        )
        return self.object


class ContactListView(FilteredListView):
    template_name = "partners/list.html"
    table_class = ContactTable
    filterset_class = ContactFilterSet
    permission_action = "partners.view_companies"
    title = gettext_lazy("Company contacts")
    export_basename = "contacts"

    def get_queryset(self) -> QuerySet[Contact]:
        return selectors.contact_list(user=self.request.user)


# Partnership agreements ----------------------------------------------------------------


class AgreementListView(FilteredListView):
    template_name = "partners/list.html"
    table_class = AgreementTable
    filterset_class = AgreementFilterSet
    permission_action = "partners.view_companies"
    title = gettext_lazy("Partnership agreements")
    export_basename = "partnership-agreements"

    def get_queryset(self) -> QuerySet[PartnershipAgreement]:
        return selectors.agreement_list(user=self.request.user)

    def get_create_url(self) -> str | None:
        return reverse("partners:agreement_create") if can(self.request.user, "partners.manage_agreement") else None


class AgreementFormMixin:
    request: HttpRequest

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["companies"] = selectors.company_choices(user=self.request.user)
        kwargs["contacts"] = selectors.contact_choices(user=self.request.user)
        return kwargs


class AgreementCreateView(AgreementFormMixin, ModelServiceFormView):
    form_class = AgreementForm
    permission_action = "partners.manage_agreement"
    title = gettext_lazy("New partnership agreement")
    success_message = gettext_lazy("The agreement was recorded as a draft.")

    def get_initial(self) -> dict[str, Any]:
        initial = {"owner": self.request.user.pk}
        if company := query_id(self.request, "company"):
            initial["company"] = company
        return initial

    def perform(self, form: AgreementForm) -> PartnershipAgreement:
        return services.agreement_create(actor=self.request.user, data=self.service_data(form))


class AgreementUpdateView(AgreementFormMixin, ModelServiceFormView):
    form_class = AgreementForm
    permission_action = "partners.manage_agreement"
    success_message = gettext_lazy("The agreement was saved.")

    def get_object(self) -> PartnershipAgreement:
        return selectors.agreement_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("Edit %(name)s") % {"name": self.object.title}, **kwargs)

    def perform(self, form: AgreementForm) -> PartnershipAgreement:
        services.agreement_update(
            actor=self.request.user,
            agreement=self.object,
            data=self.service_data(form),
            version=self.form_version(form),
        )
        return self.object


class AgreementDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "partners/agreement_detail.html"
    permission_action = "partners.view_companies"

    def get_object(self) -> PartnershipAgreement:
        return selectors.agreement_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        agreement, user = self.object, self.request.user
        return super().get_context_data(
            agreement=agreement,
            steps=AGREEMENT_WORKFLOW.steps(user, agreement),
            can_edit=can(user, "partners.edit_agreement", agreement),
            history=object_history(user=user, instance=agreement),
            **kwargs,
        )


# Teaching by professionals -------------------------------------------------------------


class InterventionListView(FilteredListView):
    template_name = "partners/list.html"
    table_class = InterventionTable
    filterset_class = InterventionFilterSet
    permission_action = "partners.view_companies"
    title = gettext_lazy("Teaching by professionals")
    export_basename = "teaching-interventions"

    def get_queryset(self) -> QuerySet[Intervention]:
        return selectors.intervention_list(user=self.request.user)

    def get_create_url(self) -> str | None:
        return (
            reverse("partners:intervention_create") if can(self.request.user, "partners.manage_interventions") else None
        )


class InterventionFormMixin:
    request: HttpRequest

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["speakers"] = selectors.contact_choices(user=self.request.user)
        kwargs["programmes"] = _manageable_programmes(self.request.user)
        return kwargs


class InterventionCreateView(InterventionFormMixin, ModelServiceFormView):
    form_class = InterventionForm
    permission_action = "partners.manage_interventions"
    title = gettext_lazy("New teaching intervention")
    success_message = gettext_lazy("The intervention was recorded.")

    def get_initial(self) -> dict[str, Any]:
        speaker = query_id(self.request, "speaker")
        return {"speaker": speaker} if speaker else {}

    def get_success_url_for(self, result: Any) -> str:
        return reverse("partners:intervention_list")

    def perform(self, form: InterventionForm) -> Intervention:
        return services.intervention_create(actor=self.request.user, data=self.service_data(form))


class InterventionUpdateView(InterventionFormMixin, ModelServiceFormView):
    form_class = InterventionForm
    permission_action = "partners.manage_interventions"
    success_message = gettext_lazy("The intervention was saved.")

    def get_object(self) -> Intervention:
        return selectors.intervention_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("Edit %(name)s") % {"name": self.object},
            cancel_url=reverse("partners:intervention_list"),
            history=object_history(user=self.request.user, instance=self.object),
            **kwargs,
        )

    def get_success_url_for(self, result: Any) -> str:
        return reverse("partners:intervention_list")

    def perform(self, form: InterventionForm) -> Intervention:
        services.intervention_update(
            actor=self.request.user,
            intervention=self.object,
            data=self.service_data(form),
            version=self.form_version(form),
        )
        return self.object


class TeachingVolumeView(ServiceFormView):
    """Enter (or correct) a programme's total teaching hours of a year; lists those entered."""

    form_class = TeachingVolumeForm
    permission_action = "partners.manage_teaching_volume"
    template_name = "partners/teaching_volumes.html"
    title = gettext_lazy("Programmes' teaching hours")
    success_message = gettext_lazy("The teaching hours were recorded.")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["programmes"] = _manageable_programmes(self.request.user)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            volumes=selectors.teaching_volume_list(user=self.request.user)[:200],
            cancel_url=reverse("partners:teaching_figures"),
            **kwargs,
        )

    def get_success_url_for(self, result: Any) -> str:
        return reverse("partners:teaching_volumes")

    def perform(self, form: TeachingVolumeForm) -> Any:
        return services.teaching_volume_set(
            actor=self.request.user,
            programme=form.cleaned_data["programme"],
            academic_year=form.cleaned_data["academic_year"],
            total_hours=form.cleaned_data["total_hours"],
        )


class TeachingFiguresView(PermissionRequiredMixin, TemplateView):
    """The share of each programme's teaching given by professionals, year by year."""

    template_name = "partners/teaching_figures.html"
    permission_action = "partners.view_companies"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        return super().get_context_data(
            title=_("Share of teaching given by professionals"),
            figures=selectors.professional_teaching_figures(user=user),
            can_enter_volumes=can(user, "partners.manage_teaching_volume"),
            **kwargs,
        )
