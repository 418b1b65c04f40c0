"""Pages of the standards app: the frameworks, a framework's coverage (page and PDF), a
requirement with its children, mappings and evidence, the forms that add requirements,
mappings and evidence links, and the external auditors' access log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from amelio.core import clock
from amelio.core.forms import parse_id
from amelio.core.permissions import can
from amelio.core.uploads import check_upload
from amelio.core.views import FilteredListView, ModelServiceFormView, PermissionRequiredMixin, ServiceFormView

from . import selectors, services
from .choices import Coverage
from .evidence import evidence_kind_for
from .filtersets import AccessLogFilterSet
from .forms import (
    AuditorAccessForm,
    EvidenceLinkForm,
    FrameworkForm,
    MappingForm,
    RequirementEditForm,
    RequirementForm,
    RequirementImportForm,
)
from .models import AccessLogEntry, AuditorAccess, Clause, ClauseMapping, EvidenceLink, Framework
from .tables import AccessLogTable
from .workflows import ACCESS_WORKFLOW


class FrameworkListView(PermissionRequiredMixin, TemplateView):
    template_name = "standards/framework_list.html"
    permission_action = "standards.view_frameworks"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            frameworks=list(selectors.framework_list(user=self.request.user)),
            can_create=can(self.request.user, "standards.manage_frameworks"),
            **kwargs,
        )


class FrameworkCreateView(ModelServiceFormView):
    form_class = FrameworkForm
    permission_action = "standards.manage_frameworks"
    title = gettext_lazy("New framework")
    success_message = gettext_lazy("The framework was created; enter or import its requirements.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cancel_url=reverse("standards:framework_list"), **kwargs)

    def perform(self, form: FrameworkForm) -> Framework:
        return services.framework_create(actor=self.request.user, data=self.service_data(form))


class FrameworkDetailView(PermissionRequiredMixin, TemplateView):
    """The coverage of a framework: each requirement with its evidence count and colour;
    `?export=pdf` the same as a PDF for the certification body."""

    template_name = "standards/framework_detail.html"
    permission_action = "standards.view_frameworks"

    def get_object(self) -> Framework:
        return selectors.framework_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        coverage = selectors.framework_coverage(user=self.request.user, framework=self.object)
        return super().get_context_data(
            framework=self.object,
            coverage=coverage,
            statuses=Coverage,
            can_edit=can(self.request.user, "standards.edit_framework", self.object),
            **kwargs,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("export") == "pdf":
            from weasyprint import HTML  # imported on use: it loads Pango and fonts

            context = self.get_context_data(**kwargs)
            html = render_to_string("standards/coverage_pdf.html", context, request)
            response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="coverage-{self.object.code}.pdf"'
            return response
        return super().get(request, *args, **kwargs)


class FrameworkObjectMixin:
    request: HttpRequest
    kwargs: dict[str, Any]

    def get_object(self) -> Framework:
        return selectors.framework_get(user=self.request.user, pk=self.kwargs["pk"])


class RequirementCreateView(FrameworkObjectMixin, ServiceFormView):
    form_class = RequirementForm
    permission_action = "standards.edit_framework"
    success_message = gettext_lazy("The requirement was added.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("New requirement of %(name)s") % {"name": self.object.name},
            cancel_url=self.object.get_absolute_url(),
            **kwargs,
        )

    def perform(self, form: RequirementForm) -> Any:
        return services.requirement_create(actor=self.request.user, framework=self.object, data=form.cleaned_data)


class RequirementUpdateView(ModelServiceFormView):
    """Edit a requirement of the school's own framework (published ones are refused, 403)."""

    form_class = RequirementEditForm
    permission_action = "standards.edit_framework"
    success_message = gettext_lazy("The requirement was saved.")

    def get_object(self) -> Clause:
        return selectors.requirement_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_permission_object(self) -> Any:
        return self.object.framework

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("Edit requirement %(number)s") % {"number": self.object.number},
            cancel_url=self.object.get_absolute_url(),
            **kwargs,
        )

    def perform(self, form: RequirementEditForm) -> Clause:
        services.requirement_update(
            actor=self.request.user,
            requirement=self.object,
            data=self.service_data(form),
            version=self.form_version(form),
        )
        return self.object


class RequirementDeleteView(PermissionRequiredMixin, View):
    """Delete a requirement of the school's own framework; refused, with what rests on it,
    while it has requirements below it, evidence links or mappings."""

    permission_action = "standards.edit_framework"

    def get_object(self) -> Clause:
        return selectors.requirement_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_permission_object(self) -> Any:
        return self.object.framework

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            services.requirement_delete(actor=request.user, requirement=self.object)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(self.object.get_absolute_url())
        messages.success(request, _("Requirement %(number)s was deleted.") % {"number": self.object.number})
        return HttpResponseRedirect(self.object.framework.get_absolute_url())


class RequirementImportView(FrameworkObjectMixin, ServiceFormView):
    form_class = RequirementImportForm
    permission_action = "standards.edit_framework"
    template_name = "standards/import.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("Import the requirements of %(name)s") % {"name": self.object.name},
            cancel_url=self.object.get_absolute_url(),
            framework=self.object,
            **kwargs,
        )

    def form_valid(self, form: RequirementImportForm) -> HttpResponse:
        try:
            checked = check_upload(form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
            return self.form_invalid(form)
        if checked.extension not in ("csv", "txt"):
            form.add_error("file", _("Send a CSV file."))
            return self.form_invalid(form)
        checked.file.seek(0)
        report = services.requirements_import(
            actor=self.request.user, framework=self.object, content=checked.file.read()
        )
        if not report.succeeded:
            return self.render_to_response(self.get_context_data(form=form, report=report), status=400)
        messages.success(self.request, _("%(count)s requirements were imported.") % {"count": len(report.created)})
        return HttpResponseRedirect(self.object.get_absolute_url())


class RequirementDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "standards/requirement_detail.html"
    permission_action = "standards.view_frameworks"

    def get_object(self) -> Any:
        return selectors.requirement_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        can_map = can(self.request.user, "standards.map_requirements")
        kwargs.setdefault("mapping_form", MappingForm(requirement=self.object) if can_map else None)
        return super().get_context_data(
            requirement=self.object,
            dossier=selectors.requirement_dossier(user=self.request.user, requirement=self.object),
            can_map=can_map,
            can_edit=can(self.request.user, "standards.edit_framework", self.object.framework),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Map this requirement to one of another framework (the quality manager)."""
        if not can(request.user, "standards.map_requirements"):
            raise PermissionDenied
        form = MappingForm(request.POST, requirement=self.object)
        if form.is_valid():
            try:
                services.mapping_create(
                    actor=request.user,
                    requirement=self.object,
                    other=form.cleaned_data["other"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                form.add_error(
                    "other",
                    error.message_dict.get("other", error.messages)
                    if hasattr(error, "message_dict")
                    else error.messages,
                )
            else:
                messages.success(request, _("The requirements were mapped."))
                return HttpResponseRedirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(mapping_form=form), status=400)


class MappingDeleteView(PermissionRequiredMixin, View):
    permission_action = "standards.map_requirements"

    def get_object(self) -> ClauseMapping:
        return get_object_or_404(
            ClauseMapping.objects.select_related("first", "second", "first__framework"), pk=self.kwargs["pk"]
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        back = selectors.requirement_get(
            user=request.user, pk=parse_id(request.POST.get("back")) or self.object.first_id
        )
        services.mapping_delete(actor=request.user, mapping=self.object)
        messages.success(request, _("The mapping was removed."))
        return HttpResponseRedirect(back.get_absolute_url())


def _record_of(user: Any, type_id: int, record_id: int) -> Any:
    """The record a link starts from: 404 when its kind is not evidence or it is out of sight."""
    try:
        content_type = ContentType.objects.get_for_id(type_id)
    except ContentType.DoesNotExist as error:
        raise Http404 from error
    model = content_type.model_class()
    kind = evidence_kind_for(model) if model is not None else None
    if kind is None:
        raise Http404
    record = kind.visible_records(user).filter(pk=record_id).first()
    if record is None or not kind.may_view(user, record):
        raise Http404
    return record


class EvidenceLinkCreateView(ServiceFormView):
    """Link a record (any registered kind) to a requirement it evidences."""

    form_class = EvidenceLinkForm
    permission_action = "standards.link_evidence"
    success_message = gettext_lazy("The record was linked to the requirement.")

    def get_object(self) -> Any:
        return _record_of(self.request.user, self.kwargs["type_id"], self.kwargs["record_id"])

    def get_permission_action(self) -> str:
        kind = evidence_kind_for(self.object)
        if kind is None or not kind.may_link(self.request.user, self.object):
            raise PermissionDenied
        return "standards.link_evidence"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["requirements"] = selectors.requirement_choices(user=self.request.user)
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {"requirement": parse_id(self.request.GET.get("requirement", ""))}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("Requirement evidenced by %(record)s") % {"record": self.object},
            cancel_url=self.object.get_absolute_url(),
            **kwargs,
        )

    def perform(self, form: EvidenceLinkForm) -> Any:
        services.evidence_link(
            actor=self.request.user,
            record=self.object,
            requirement=form.cleaned_data["requirement"],
            note=form.cleaned_data["note"],
        )
        return self.object


class EvidenceUnlinkView(PermissionRequiredMixin, View):
    permission_action = "standards.link_evidence"

    def get_object(self) -> EvidenceLink:
        link = get_object_or_404(EvidenceLink.objects.select_related("clause"), pk=self.kwargs["pk"])
        # Out of sight is a 404 whatever the rights: the link's record decides.
        _record_of(self.request.user, link.record_type_id, link.record_id)
        return link

    def get_permission_object(self) -> Any:
        return self.object.record

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.object.record
        services.evidence_unlink(actor=request.user, link=self.object)
        messages.success(request, _("The link was removed."))
        return HttpResponseRedirect(record.get_absolute_url())


class AccessLogView(FilteredListView):
    table_class = AccessLogTable
    filterset_class = AccessLogFilterSet
    permission_action = "standards.read_access_log"
    title = gettext_lazy("External auditors' access log")
    export_basename = "auditor-access-log"

    def get_queryset(self) -> QuerySet[AccessLogEntry]:
        return selectors.access_log(user=self.request.user)


# External auditors' accesses ---------------------------------------------------------------


class AccessListView(PermissionRequiredMixin, TemplateView):
    """The accesses granted to external auditors, open, to come and ended, with what each opened."""

    template_name = "standards/access_list.html"
    permission_action = "standards.manage_auditor_access"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            accesses=list(selectors.auditor_access_list(user=self.request.user)), today=clock.today(), **kwargs
        )


class AccessCreateView(ServiceFormView):
    form_class = AuditorAccessForm
    permission_action = "standards.manage_auditor_access"
    title = gettext_lazy("New access for an external auditor")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cancel_url=reverse("standards:access_list"), **kwargs)

    def perform(self, form: AuditorAccessForm) -> AuditorAccess:
        access, token = services.auditor_access_grant(actor=self.request.user, data=form.cleaned_data)
        if token is None:
            messages.success(self.request, _("The access was granted."))
        else:
            url = self.request.build_absolute_uri(reverse("standards:access_link", args=[token]))
            messages.success(
                self.request,
                _("The access was granted and its personal link sent to %(email)s: %(url)s")
                % {"email": access.auditor_email, "url": url},
            )
        return access


class AccessDetailView(PermissionRequiredMixin, TemplateView):
    """An access: who, what, when, its steps, and every page and file opened under it."""

    template_name = "standards/access_detail.html"
    permission_action = "standards.manage_auditor_access"
    log_shown = 500

    def get_object(self) -> AuditorAccess:
        return selectors.auditor_access_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        log = selectors.access_log_of(access=self.object)
        return super().get_context_data(
            access=self.object,
            is_open=self.object.is_open_on(clock.today()),
            log=list(log[: self.log_shown]),
            log_count=log.count(),
            steps=ACCESS_WORKFLOW.steps(self.request.user, self.object),
            **kwargs,
        )


class AccessLinkView(View):
    """The pages of an auditor's personal link, without an account: the frameworks opened to
    them, a framework's coverage, a requirement with its evidence. Refused (410) outside the
    access's dates or once revoked; a framework or requirement outside it is a 404. Every
    page opened is logged under the access."""

    template_name = "standards/access_link.html"

    def get(
        self, request: HttpRequest, token: str, framework: int | None = None, requirement: int | None = None
    ) -> HttpResponse:
        try:
            access = services.access_link_resolve(token)
        except services.LinkRefused as refusal:
            return render(request, self.template_name, {"refused": str(refusal)}, status=410)
        context: dict[str, Any] = {"access": access, "token": token}
        try:
            if requirement is not None:
                clause = selectors.access_link_requirement(access=access, pk=requirement)
                context.update(requirement=clause, dossier=selectors.requirement_dossier(user=None, requirement=clause))
            elif framework is not None:
                chosen = selectors.access_link_framework(access=access, pk=framework)
                context.update(framework=chosen, coverage=selectors.framework_coverage(user=None, framework=chosen))
            else:
                context.update(frameworks=selectors.access_link_frameworks(access=access))
            response = render(request, self.template_name, context)
        except Http404:
            response = render(
                request, self.template_name, {"refused": _("This page is not part of your access.")}, status=404
            )
        match = request.resolver_match
        services.access_log_record(
            person=None,
            access=access,
            path=request.get_full_path(),
            view_name=match.view_name if match is not None else "",
            is_file=False,
            status_code=response.status_code,
        )
        return response
