from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amelio.core.forms import DateInput, StyledFormMixin, set_choices
from amelio.organisation.models import Department, Person
from amelio.processes.models import Process
from amelio.standards.models import Clause

from .choices import EXTERNAL_KINDS, Answer, AuditKind
from .models import Audit, AuditProgramme, Finding

ISO_9001 = "ISO9001:2015"


class ProgrammeForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = AuditProgramme
        fields = AuditProgramme.editable_fields
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "objectives": forms.Textarea(attrs={"rows": 4}),
        }


INTERNAL_FIELDS = tuple(name for name in Audit.editable_fields if name not in ("body", "external_lead"))
EXTERNAL_FIELDS = tuple(name for name in Audit.editable_fields if name not in ("lead_auditor", "team"))


class _AuditFormBase(StyledFormMixin, forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "processes", Process.objects.filter(is_active=True).only("id", "code", "name"))
        set_choices(self, "departments", Department.objects.order_by("name"))
        set_choices(self, "clauses", Clause.objects.filter(framework__code=ISO_9001).order_by("sort_key"))
        set_choices(self, "programme", AuditProgramme.objects.order_by("-starts_on"))
        if "lead_auditor" in self.fields:
            auditors = Person.objects.filter(is_active=True, kind__in=["staff", "teacher"]).order_by(
                "last_name", "first_name"
            )
            set_choices(self, "lead_auditor", auditors)
            set_choices(self, "team", auditors)
            self.fields["lead_auditor"].required = True


class AuditForm(_AuditFormBase):
    """An internal audit: its scope, criteria, dates, lead auditor and team, and its plan."""

    class Meta:
        model = Audit
        fields = INTERNAL_FIELDS
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "objectives": forms.Textarea(attrs={"rows": 2}),
            "criteria": forms.Textarea(attrs={"rows": 2}),
            "plan": forms.Textarea(attrs={"rows": 4}),
            "processes": forms.SelectMultiple(attrs={"size": 6}),
            "clauses": forms.SelectMultiple(attrs={"size": 8}),
            "team": forms.SelectMultiple(attrs={"size": 5}),
        }


class ExternalAuditForm(_AuditFormBase):
    """A certification body's audit or an accreditation visit, recorded the same way."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(value, label) for value, label in AuditKind.choices if value in EXTERNAL_KINDS]
    )

    class Meta:
        model = Audit
        fields = EXTERNAL_FIELDS
        widgets = AuditForm.Meta.widgets


class ReportForm(forms.Form):
    conclusion = forms.CharField(
        label=_("Conclusion"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        help_text=_("Whether the audited system conforms and is effective, with its main findings."),
    )


class AnswerForm(StyledFormMixin, forms.Form):
    answer = forms.ChoiceField(label=_("Answer"), choices=Answer.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("What was seen"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class FindingForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Finding
        fields = Finding.editable_fields
        widgets = {
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "requirement": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, audit: Audit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "clause", Clause.objects.filter(framework__code=ISO_9001).order_by("sort_key"))
        set_choices(self, "process", audit.processes.order_by("code"))
