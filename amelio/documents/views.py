"""Pages of documented information: the list (search, filters, export), a document with its
versions, readers and acknowledgements, a version with its workflow steps, and the forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from amelio.core.permissions import can, roles_for
from amelio.core.views import FilteredListView, ModelServiceFormView, PermissionRequiredMixin, ServiceFormView
from amelio.history.selectors import object_history
from amelio.organisation.choices import Role
from amelio.processes.models import Process

from . import selectors, services
from .choices import VersionStatus
from .filtersets import DocumentFilterSet
from .forms import DistributionForm, DocumentCreateForm, DocumentForm, VersionForm
from .models import Document, DocumentVersion
from .rendering import render_text
from .tables import DocumentTable
from .workflows import VERSION_WORKFLOW


def _processes_for(user: Any) -> QuerySet[Process]:
    """The processes a person may file documents under: all for the quality manager, their own otherwise."""
    processes = Process.objects.filter(is_active=True).order_by("code")
    roles = roles_for(user)
    if roles.is_quality_manager:
        return processes
    return processes.filter(Q(owner_id=user.pk) | Q(pk__in=roles.processes_for(Role.PROCESS_OWNER)))


class DocumentListView(FilteredListView):
    template_name = "documents/list.html"
    table_class = DocumentTable
    filterset_class = DocumentFilterSet
    permission_action = "documents.view_documents"
    staff_only = False
    title = gettext_lazy("Documents")
    export_basename = "documents"

    def get_queryset(self) -> QuerySet[Document]:
        return selectors.document_list(user=self.request.user)

    def get_create_url(self) -> str | None:
        return reverse("documents:document_create") if can(self.request.user, "documents.create_document") else None


class DocumentFormMixin:
    request: HttpRequest

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["processes"] = _processes_for(self.request.user)
        return kwargs


class DocumentCreateView(DocumentFormMixin, ModelServiceFormView):
    form_class = DocumentCreateForm
    permission_action = "documents.create_document"
    title = gettext_lazy("New document")
    success_message = gettext_lazy("The document was recorded; write its first version.")

    def get_initial(self) -> dict[str, Any]:
        return {"owner": self.request.user.pk, "author": self.request.user.pk}

    def perform(self, form: DocumentCreateForm) -> Document:
        return services.document_create(actor=self.request.user, data=self.service_data(form))


class DocumentUpdateView(DocumentFormMixin, ModelServiceFormView):
    form_class = DocumentForm
    permission_action = "documents.manage_document"
    success_message = gettext_lazy("The document was saved.")

    def get_object(self) -> Document:
        return selectors.document_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("Edit %(name)s") % {"name": self.object.reference}, **kwargs)

    def perform(self, form: DocumentForm) -> Document:
        services.document_update(
            actor=self.request.user, document=self.object, data=self.service_data(form), version=self.form_version(form)
        )
        return self.object


class DocumentDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "documents/document_detail.html"
    permission_action = "documents.view_document"
    staff_only = False

    def get_object(self) -> Document:
        return selectors.document_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        document, user = self.object, self.request.user
        dossier = selectors.document_dossier(user=user, document=document)
        current = next((v for v in dossier.versions if v.pk == document.current_version_id), None)
        return super().get_context_data(
            document=document,
            dossier=dossier,
            current=current,
            current_text=render_text(current.text) if current is not None else "",
            can_manage=can(user, "documents.manage_document", document),
            can_add_version=can(user, "documents.add_version", document),
            can_acknowledge=can(user, "documents.acknowledge", document),
            history=object_history(user=user, instance=document) if roles_for(user).sees_staff_pages else [],
            **kwargs,
        )


class DocumentReadersView(ServiceFormView):
    form_class = DistributionForm
    permission_action = "documents.manage_document"
    success_message = gettext_lazy("The readers were saved.")

    def get_object(self) -> Document:
        return selectors.document_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        readers = list(self.object.distribution.all())
        return {
            "roles": [reader.role for reader in readers if reader.role],
            "people": [reader.person_id for reader in readers if reader.person_id],
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("Who must read %(name)s") % {"name": self.object.reference},
            cancel_url=self.object.get_absolute_url(),
            **kwargs,
        )

    def perform(self, form: DistributionForm) -> Document:
        services.distribution_set(
            actor=self.request.user,
            document=self.object,
            roles=form.cleaned_data["roles"],
            people=form.cleaned_data["people"],
        )
        return self.object


class AcknowledgeView(PermissionRequiredMixin, View):
    """One click: "I have read the version in force"."""

    permission_action = "documents.acknowledge"
    staff_only = False
    http_method_names = ["post"]

    def get_object(self) -> Document:
        return selectors.document_get(user=self.request.user, pk=self.kwargs["pk"])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.acknowledgement_record(actor=request.user, document=self.object)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your reading of this version is recorded."))
        return HttpResponseRedirect(self.object.get_absolute_url())


class VersionCreateView(ServiceFormView):
    form_class = VersionForm
    permission_action = "documents.add_version"
    success_message = gettext_lazy("The version was recorded as a draft.")

    def get_object(self) -> Document:
        return selectors.document_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        current = self.object.current_version
        return {"text": current.text} if current is not None else {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("New version of %(name)s") % {"name": self.object.reference},
            cancel_url=self.object.get_absolute_url(),
            **kwargs,
        )

    def perform(self, form: VersionForm) -> DocumentVersion:
        return services.version_create(
            actor=self.request.user,
            document=self.object,
            change_summary=form.cleaned_data["change_summary"],
            text=form.cleaned_data["text"],
            file=form.cleaned_data.get("file"),
        )


class VersionUpdateView(ModelServiceFormView):
    form_class = VersionForm
    permission_action = "documents.work_on_version"
    staff_only = False
    success_message = gettext_lazy("The draft was saved.")

    def get_object(self) -> DocumentVersion:
        return selectors.version_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("Edit %(name)s") % {"name": self.object}, **kwargs)

    def perform(self, form: VersionForm) -> DocumentVersion:
        services.version_update(
            actor=self.request.user,
            version=self.object,
            data=self.service_data(form),
            file=form.cleaned_data.get("file"),
            token=self.form_version(form),
        )
        return self.object


class VersionDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "documents/version_detail.html"
    permission_action = "documents.view_version"
    staff_only = False

    def get_object(self) -> DocumentVersion:
        return selectors.version_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        version, user = self.object, self.request.user
        files = list(version.files.all())
        return super().get_context_data(
            version=version,
            document=version.document,
            file=files[0] if files else None,
            text=render_text(version.text),
            steps=VERSION_WORKFLOW.steps(user, version),
            can_edit=version.status == VersionStatus.DRAFT and can(user, "documents.work_on_version", version),
            history=object_history(user=user, instance=version) if roles_for(user).sees_staff_pages else [],
            **kwargs,
        )
