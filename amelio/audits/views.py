"""Pages of the audits: programmes with their coverage, audits with their plan, checklist
(answered on a phone during the audit), findings and report as a PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from amelio.core.permissions import can
from amelio.core.views import (
    FilteredListView,
    ModelServiceFormView,
    PermissionRequiredMixin,
    add_validation_error,
)
from amelio.history.selectors import object_history
from amelio.organisation.models import School

from . import selectors, services
from .choices import GRADE_CODES, ITEM_GRADES, AuditStatus, Grade
from .filtersets import AuditFilterSet, ProgrammeFilterSet
from .forms import AnswerForm, AuditForm, ExternalAuditForm, FindingForm, ProgrammeForm
from .models import Audit, AuditProgramme, ChecklistLine, Finding
from .tables import AuditTable, ProgrammeTable
from .workflows import AUDIT_WORKFLOW

# Programmes -----------------------------------------------------------------------------------


class ProgrammeListView(FilteredListView):
    table_class = ProgrammeTable
    filterset_class = ProgrammeFilterSet
    permission_action = "audits.view_audits"
    title = gettext_lazy("Audit programmes")
    export_basename = "audit-programmes"

    def get_queryset(self) -> QuerySet[AuditProgramme]:
        return selectors.programme_list(user=self.request.user)

    def get_create_url(self) -> str | None:
        return reverse("audits:programme_create") if can(self.request.user, "audits.plan_audit") else None


class ProgrammeDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "audits/programme_detail.html"
    permission_action = "audits.view_audits"

    def get_object(self) -> AuditProgramme:
        return selectors.programme_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        return super().get_context_data(
            programme=self.object,
            audits=selectors.programme_audits(user=user, programme=self.object),
            coverage=selectors.programme_coverage(programme=self.object),
            can_plan=can(user, "audits.plan_audit"),
            **kwargs,
        )


class ProgrammeCreateView(ModelServiceFormView):
    form_class = ProgrammeForm
    permission_action = "audits.plan_audit"
    title = gettext_lazy("New audit programme")
    success_message = gettext_lazy("The programme was saved.")

    def perform(self, form: ProgrammeForm) -> AuditProgramme:
        return services.programme_create(actor=self.request.user, data=self.service_data(form))


class ProgrammeUpdateView(ModelServiceFormView):
    form_class = ProgrammeForm
    permission_action = "audits.plan_audit"
    title = gettext_lazy("Edit the audit programme")
    success_message = gettext_lazy("The programme was saved.")

    def get_object(self) -> AuditProgramme:
        return selectors.programme_get(user=self.request.user, pk=self.kwargs["pk"])

    def perform(self, form: ProgrammeForm) -> AuditProgramme:
        services.programme_update(
            actor=self.request.user,
            programme=self.object,
            data=self.service_data(form),
            version=self.form_version(form),
        )
        return self.object


# Audits ----------------------------------------------------------------------------------------


class AuditListView(FilteredListView):
    table_class = AuditTable
    filterset_class = AuditFilterSet
    permission_action = "audits.view_audits"
    title = gettext_lazy("Audits")
    export_basename = "audits"

    def get_queryset(self) -> QuerySet[Audit]:
        return selectors.audit_list(user=self.request.user)

    def get_create_url(self) -> str | None:
        return reverse("audits:audit_create") if can(self.request.user, "audits.plan_audit") else None


class AuditCreateView(ModelServiceFormView):
    form_class = AuditForm
    permission_action = "audits.plan_audit"
    title = gettext_lazy("Plan an internal audit")
    success_message = gettext_lazy("The audit was planned and its checklist prepared.")

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        if "programme" in self.request.GET:
            initial["programme"] = self.request.GET["programme"]
        initial.setdefault("criteria", _("ISO 9001:2015 and the school's own procedures"))
        return initial

    def perform(self, form: AuditForm) -> Audit:
        return services.audit_create(actor=self.request.user, data=self.service_data(form))


class ExternalAuditCreateView(AuditCreateView):
    form_class = ExternalAuditForm  # type: ignore[assignment]
    title = gettext_lazy("Record an external audit")
    success_message = gettext_lazy("The external audit was recorded.")

    def perform(self, form: AuditForm) -> Audit:
        return services.audit_create(
            actor=self.request.user, data=self.service_data(form), kind=form.cleaned_data["kind"]
        )


class AuditUpdateView(ModelServiceFormView):
    form_class = AuditForm
    permission_action = "audits.plan_audit"
    success_message = gettext_lazy("The audit was saved.")

    def get_object(self) -> Audit:
        return selectors.audit_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_class(self) -> Any:
        return ExternalAuditForm if self.object.is_external else AuditForm

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        if self.object.is_external:
            del form.fields["kind"]  # the kind of an audit is not changed
        return form

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("Edit %(name)s") % {"name": self.object.reference}, **kwargs)

    def perform(self, form: AuditForm) -> Audit:
        services.audit_update(
            actor=self.request.user, audit=self.object, data=self.service_data(form), version=self.form_version(form)
        )
        return self.object


class AuditDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "audits/audit_detail.html"
    permission_action = "audits.view_audit"

    def get_object(self) -> Audit:
        return selectors.audit_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        audit, user = self.object, self.request.user
        may_raise = can(user, "audits.raise_item", audit) and audit.status != AuditStatus.CANCELLED
        return super().get_context_data(
            audit=audit,
            steps=AUDIT_WORKFLOW.steps(user, audit),
            can_edit=can(user, "audits.plan_audit", audit) and audit.status in services.EDITABLE_STATUSES,
            can_record=can(user, "audits.record_finding", audit) and _records_now(audit),
            may_raise=may_raise,
            item_grades=ITEM_GRADES,
            answer_counts=audit.answer_counts,
            checklist_total=sum(audit.answer_counts.values()),
            checklist_answered=sum(n for answer, n in audit.answer_counts.items() if answer),
            history=object_history(user=user, instance=audit),
            **kwargs,
        )


def _records_now(audit: Audit) -> bool:
    if audit.is_external:
        return audit.status in (AuditStatus.IN_PROGRESS, AuditStatus.REPORTED)
    return audit.status == AuditStatus.IN_PROGRESS


class ChecklistView(PermissionRequiredMixin, TemplateView):
    """The checklist, one card per line, answered on a phone or a tablet during the audit."""

    template_name = "audits/checklist.html"
    permission_action = "audits.view_audit"

    def get_object(self) -> Audit:
        return selectors.audit_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        audit, user = self.object, self.request.user
        context = selectors.checklist_context(user=user, audit=audit)
        answers = can(user, "audits.answer_checklist", audit) and audit.status == AuditStatus.IN_PROGRESS
        forms = kwargs.pop("forms", {})
        for line in context["lines"]:
            line.form = forms.get(line.pk) or AnswerForm(
                initial={"answer": line.answer, "note": line.note}, prefix=f"line{line.pk}"
            )
        return super().get_context_data(
            audit=audit,
            may_answer=answers,
            may_record=can(user, "audits.record_finding", audit) and _records_now(audit),
            **context,
            **kwargs,
        )


class LineAnswerView(PermissionRequiredMixin, View):
    """One line's answer, posted from its card; back to the same line."""

    permission_action = "audits.answer_checklist"
    http_method_names = ["post"]

    def get_object(self) -> Audit:
        return selectors.audit_get(user=self.request.user, pk=self.kwargs["pk"])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        line = selectors.line_get(user=request.user, audit=self.object, pk=self.kwargs["line_pk"])
        form = AnswerForm(request.POST, prefix=f"line{line.pk}")
        if form.is_valid():
            try:
                services.checklist_answer(
                    actor=request.user, line=line, answer=form.cleaned_data["answer"], note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Line %(position)s saved.") % {"position": line.position})
                return HttpResponseRedirect(line.get_absolute_url())
        view = ChecklistView()
        view.setup(request, *args, **kwargs)
        view.object = self.object
        return view.render_to_response(view.get_context_data(forms={line.pk: form}), status=400)


class FindingCreateView(ModelServiceFormView):
    form_class = FindingForm
    permission_action = "audits.record_finding"
    title = gettext_lazy("Record a finding")
    success_message = gettext_lazy("The finding was recorded.")

    def get_object(self) -> Audit:
        return selectors.audit_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_line(self) -> ChecklistLine | None:
        line_id = self.request.GET.get("line") or self.request.POST.get("line")
        if not line_id or not str(line_id).isdigit():
            return None
        return ChecklistLine.objects.select_related("clause", "process").filter(audit=self.object, pk=line_id).first()

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)  # the form builds a finding, not the audit
        kwargs["audit"] = self.object
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        line = self.get_line()
        if line is not None:
            initial.update(clause=line.clause_id, process=line.process_id, evidence=line.note)
            if line.clause is not None:
                initial["requirement"] = _("ISO 9001:2015 %(number)s %(title)s") % {
                    "number": line.clause.number,
                    "title": line.clause.title,
                }
        if self.request.GET.get("grade") in Grade.values:
            initial["grade"] = self.request.GET["grade"]
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("Finding of %(reference)s") % {"reference": self.object.reference},
            **kwargs,
        )

    def get_success_url_for(self, result: Any) -> str:
        return str(result.get_absolute_url())

    def perform(self, form: FindingForm) -> Finding:
        return services.finding_record(
            actor=self.request.user, audit=self.object, data=self.service_data(form), checklist_line=self.get_line()
        )


class FindingRaiseItemView(PermissionRequiredMixin, View):
    """A nonconformity or an opportunity into the improvement register, in one step."""

    permission_action = "audits.raise_item"
    http_method_names = ["post"]

    def get_object(self) -> Finding:
        return selectors.finding_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_permission_object(self) -> Audit:
        return self.object.audit

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        finding = self.object
        try:
            item = services.finding_raise_item(actor=request.user, finding=finding)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(reference)s is in the improvement register, due on %(date)s.")
                % {"reference": item.reference, "date": item.due_on or "—"},
            )
        return HttpResponseRedirect(finding.get_absolute_url())


class AuditReportPdfView(PermissionRequiredMixin, View):
    """The audit report as a PDF (WeasyPrint): scope, plan, checklist, findings and their items."""

    permission_action = "audits.view_audit"

    def get_object(self) -> Audit:
        return selectors.audit_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from weasyprint import HTML  # imported on use: it loads Pango and fonts

        audit = self.object
        lines = list(audit.checklist.select_related("clause", "process").order_by("position"))
        findings = list(audit.findings.all())
        grades = [
            {"code": GRADE_CODES[value], "label": label, "count": sum(1 for f in findings if f.grade == value)}
            for value, label in Grade.choices
        ]
        html = render_to_string(
            "audits/report_pdf.html",
            {
                "audit": audit,
                "lines": lines,
                "findings": findings,
                "grades": grades,
                "answers": selectors.answer_summary(lines),
                "school": School.objects.first(),
            },
            request,
        )
        response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{audit.reference}.pdf"'
        return response
