"""Pages of the process map and the school's context."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from amelio.core.permissions import can
from amelio.core.views import FilteredListView, ModelServiceFormView, PermissionRequiredMixin
from amelio.history.selectors import object_history

from . import selectors, services
from .choices import StatementKind
from .diagram import layout
from .filtersets import ContextIssueFilterSet, InterestedPartyFilterSet, ProcessFilterSet
from .forms import (
    ActivityForm,
    ContextIssueForm,
    InteractionForm,
    InterestedPartyForm,
    ProcessForm,
    RaciForm,
    StatementForm,
)
from .models import Activity, ContextIssue, InterestedParty, Process, ProcessInteraction, RaciAssignment
from .tables import ContextIssueTable, InterestedPartyTable, ProcessTable


class ProcessListView(FilteredListView):
    table_class = ProcessTable
    filterset_class = ProcessFilterSet
    permission_action = "processes.view_process"
    title = gettext_lazy("Processes")
    export_basename = "processes"

    def get_queryset(self) -> QuerySet[Process]:
        return selectors.process_list(user=self.request.user)

    def get_create_url(self) -> str | None:
        return reverse("processes:process_create") if can(self.request.user, "processes.add_process") else None


class ProcessMapView(PermissionRequiredMixin, TemplateView):
    template_name = "processes/process_map.html"
    permission_action = "processes.view_process"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        processes, interactions = selectors.process_map(user=self.request.user)
        return super().get_context_data(diagram=layout(processes, interactions), **kwargs)


class ProcessMapSvgView(ProcessMapView):
    """The same picture as a standalone SVG file, for slides and printed documents."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        processes, interactions = selectors.process_map(user=request.user)
        svg = render_to_string(
            "processes/_process_map.svg", {"diagram": layout(processes, interactions), "standalone": True}, request
        )
        response = HttpResponse(svg, content_type="image/svg+xml")
        response["Content-Disposition"] = 'attachment; filename="process-map.svg"'
        return response


class ProcessDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "processes/process_detail.html"
    permission_action = "processes.view_process"

    def get_object(self) -> Process:
        return selectors.process_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        process = self.object
        can_change = can(self.request.user, "processes.change_process", process)
        return super().get_context_data(
            process=process,
            can_change=can_change,
            activity_form=ActivityForm() if can_change else None,
            raci_form=RaciForm(process=process) if can_change else None,
            interaction_form=InteractionForm(process=process) if can_change else None,
            history=object_history(user=self.request.user, instance=process),
            **kwargs,
        )


class ProcessCreateView(ModelServiceFormView):
    form_class = ProcessForm
    permission_action = "processes.add_process"
    title = gettext_lazy("New process")
    success_message = gettext_lazy("The process was created.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cancel_url=reverse("processes:process_list"), **kwargs)

    def perform(self, form: ProcessForm) -> Process:
        return services.process_create(actor=self.request.user, data=self.service_data(form))


class ProcessUpdateView(ModelServiceFormView):
    form_class = ProcessForm
    permission_action = "processes.change_process"
    success_message = gettext_lazy("The process was saved.")

    def get_object(self) -> Process:
        return selectors.process_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("Edit %(name)s") % {"name": self.object},
            cancel_url=self.object.get_absolute_url(),
            **kwargs,
        )

    def perform(self, form: ProcessForm) -> Process:
        services.process_update(
            actor=self.request.user, process=self.object, data=self.service_data(form), version=self.form_version(form)
        )
        return self.object


class ProcessChildActionView(PermissionRequiredMixin, View):
    """POST-only actions on a process's activities and RACI, back to the process page."""

    permission_action = "processes.change_process"
    http_method_names = ["post"]

    def get_object(self) -> Process:
        return selectors.process_get(user=self.request.user, pk=self.kwargs["pk"])

    def back(self) -> HttpResponse:
        return HttpResponseRedirect(self.object.get_absolute_url() + "#activities")

    def invalid(self, form: Any) -> HttpResponse:
        """The small inline forms report their errors as messages above the section."""
        for field, errors in form.errors.items():
            text = " ".join(str(error) for error in errors)
            label = form.fields[field].label if field in form.fields else ""
            messages.error(self.request, f"{label}: {text}" if label else text)
        return self.back()

    def fail(self, error: ValidationError) -> HttpResponse:
        for message in error.messages:
            messages.error(self.request, message)
        return self.back()


class ActivityCreateView(ProcessChildActionView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ActivityForm(request.POST)
        if not form.is_valid():
            return self.invalid(form)
        try:
            services.activity_create(actor=request.user, process=self.object, data=form.cleaned_data)
        except ValidationError as error:
            return self.fail(error)
        messages.success(request, _("The activity was added."))
        return self.back()


class ActivityDeleteView(ProcessChildActionView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        activity = get_object_or_404(Activity, pk=kwargs["activity_pk"], process=self.object)
        services.activity_delete(actor=request.user, activity=activity)
        messages.success(request, _("The activity was removed."))
        return self.back()


class RaciCreateView(ProcessChildActionView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = RaciForm(request.POST, process=self.object)
        if not form.is_valid():
            return self.invalid(form)
        try:
            services.raci_assign(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            return self.fail(error)
        messages.success(request, _("The responsibility was assigned."))
        return self.back()


class InteractionSetView(ProcessChildActionView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = InteractionForm(request.POST, process=self.object)
        if not form.is_valid():
            return self.invalid(form)
        try:
            services.interaction_set(actor=request.user, source=self.object, **form.cleaned_data)
        except ValidationError as error:
            return self.fail(error)
        messages.success(request, _("The interaction was saved."))
        return HttpResponseRedirect(self.object.get_absolute_url() + "#interactions")


class InteractionDeleteView(ProcessChildActionView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        interaction = get_object_or_404(
            ProcessInteraction.objects.select_related("source", "target"),
            pk=kwargs["interaction_pk"],
            source=self.object,
        )
        services.interaction_remove(actor=request.user, interaction=interaction)
        messages.success(request, _("The interaction was removed."))
        return HttpResponseRedirect(self.object.get_absolute_url() + "#interactions")


class RaciDeleteView(ProcessChildActionView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assignment = get_object_or_404(
            RaciAssignment.objects.select_related("activity__process", "person"),
            pk=kwargs["raci_pk"],
            activity__process=self.object,
        )
        services.raci_remove(actor=request.user, assignment=assignment)
        messages.success(request, _("The responsibility was removed."))
        return self.back()


# Context (4.1) and interested parties (4.2) -------------------------------------------


class ContextIssueListView(FilteredListView):
    table_class = ContextIssueTable
    filterset_class = ContextIssueFilterSet
    permission_action = "processes.view_process"
    title = gettext_lazy("Context issues (4.1)")
    export_basename = "context-issues"

    def get_queryset(self) -> QuerySet[ContextIssue]:
        return selectors.context_issue_list(user=self.request.user)

    def get_create_url(self) -> str | None:
        return reverse("processes:context_issue_create") if can(self.request.user, "processes.manage_context") else None


class ContextIssueCreateView(ModelServiceFormView):
    form_class = ContextIssueForm
    permission_action = "processes.manage_context"
    title = gettext_lazy("New context issue")
    success_message = gettext_lazy("The issue was recorded.")

    def perform(self, form: ContextIssueForm) -> ContextIssue:
        return services.context_issue_create(actor=self.request.user, data=self.service_data(form))

    def get_success_url_for(self, result: Any) -> str:
        return reverse("processes:context_issue_list")


class ContextIssueUpdateView(ModelServiceFormView):
    form_class = ContextIssueForm
    permission_action = "processes.manage_context"
    success_message = gettext_lazy("The issue was saved.")

    def get_object(self) -> ContextIssue:
        return selectors.context_issue_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("Edit %(name)s") % {"name": self.object},
            history=object_history(user=self.request.user, instance=self.object),
            **kwargs,
        )

    def perform(self, form: ContextIssueForm) -> ContextIssue:
        services.context_issue_update(
            actor=self.request.user, issue=self.object, data=self.service_data(form), version=self.form_version(form)
        )
        return self.object

    def get_success_url_for(self, result: Any) -> str:
        return reverse("processes:context_issue_list")


class InterestedPartyListView(FilteredListView):
    table_class = InterestedPartyTable
    filterset_class = InterestedPartyFilterSet
    permission_action = "processes.view_process"
    title = gettext_lazy("Interested parties (4.2)")
    export_basename = "interested-parties"

    def get_queryset(self) -> QuerySet[InterestedParty]:
        return selectors.interested_party_list(user=self.request.user)

    def get_create_url(self) -> str | None:
        if can(self.request.user, "processes.manage_context"):
            return reverse("processes:interested_party_create")
        return None


class InterestedPartyCreateView(ModelServiceFormView):
    form_class = InterestedPartyForm
    permission_action = "processes.manage_context"
    title = gettext_lazy("New interested party")
    success_message = gettext_lazy("The interested party was recorded.")

    def perform(self, form: InterestedPartyForm) -> InterestedParty:
        return services.interested_party_create(actor=self.request.user, data=self.service_data(form))

    def get_success_url_for(self, result: Any) -> str:
        return reverse("processes:interested_party_list")


class InterestedPartyUpdateView(ModelServiceFormView):
    form_class = InterestedPartyForm
    permission_action = "processes.manage_context"
    success_message = gettext_lazy("The interested party was saved.")

    def get_object(self) -> InterestedParty:
        return selectors.interested_party_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("Edit %(name)s") % {"name": self.object},
            history=object_history(user=self.request.user, instance=self.object),
            **kwargs,
        )

    def perform(self, form: InterestedPartyForm) -> InterestedParty:
        services.interested_party_update(
            actor=self.request.user, party=self.object, data=self.service_data(form), version=self.form_version(form)
        )
        return self.object

    def get_success_url_for(self, result: Any) -> str:
        return reverse("processes:interested_party_list")


# Scope statement (4.3) and quality policy (5.2) --------------------------------------


def _statement_kind(kind: str) -> str:
    if kind not in StatementKind.values:
        raise Http404
    return kind


class StatementListView(PermissionRequiredMixin, TemplateView):
    template_name = "processes/statement_list.html"
    permission_action = "processes.view_process"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kind = _statement_kind(self.kwargs["kind"])
        versions = list(selectors.statement_versions(user=self.request.user, kind=kind))
        in_force = next((v for v in versions if v.is_approved), None)
        draft = next((v for v in versions if not v.is_approved), None)
        context = super().get_context_data(**kwargs)
        context.update(
            kind=kind,
            kind_label=StatementKind(kind).label,
            versions=versions,
            in_force=in_force,
            draft=draft,
            can_write=can(self.request.user, "processes.write_statement"),
            can_approve=can(self.request.user, "processes.approve_statement"),
        )
        return context


class StatementWriteView(ModelServiceFormView):
    """Writes a new draft version, or edits the draft waiting for approval."""

    form_class = StatementForm
    permission_action = "processes.write_statement"
    success_message = gettext_lazy("The draft was saved.")

    def get_object(self) -> Any:
        kind = _statement_kind(self.kwargs["kind"])
        versions = selectors.statement_versions(user=self.request.user, kind=kind)
        return versions.filter(approved_on__isnull=True).first()

    def get_initial(self) -> dict[str, Any]:
        if self.object is None:
            in_force = selectors.statement_in_force(kind=self.kwargs["kind"])
            return {"text": in_force.text if in_force else ""}
        return {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        label = StatementKind(self.kwargs["kind"]).label
        return super().get_context_data(
            title=_("Draft a new version: %(kind)s") % {"kind": label},
            cancel_url=reverse("processes:statement_list", args=[self.kwargs["kind"]]),
            **kwargs,
        )

    def perform(self, form: StatementForm) -> Any:
        if self.object is None:
            return services.statement_write(
                actor=self.request.user, kind=self.kwargs["kind"], text=form.cleaned_data["text"]
            )
        services.statement_update_draft(
            actor=self.request.user,
            statement=self.object,
            text=form.cleaned_data["text"],
            version=self.form_version(form),
        )
        return self.object


class StatementApproveView(PermissionRequiredMixin, View):
    permission_action = "processes.approve_statement"
    http_method_names = ["post"]

    def get_object(self) -> Any:
        return selectors.statement_get(user=self.request.user, pk=self.kwargs["pk"])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.statement_approve(actor=request.user, statement=self.object)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The version is approved and now in force."))
        return HttpResponseRedirect(reverse("processes:statement_list", args=[self.object.kind]))
