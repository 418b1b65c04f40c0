from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amelio.core.forms import DateInput, StyledFormMixin, set_choices
from amelio.processes.models import Process

from .choices import Role, ScopeKind
from .models import AcademicYear, Department, Person, Programme


class DepartmentForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Department
        fields = Department.editable_fields


class ProgrammeForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Programme
        fields = Programme.editable_fields


class AcademicYearForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = AcademicYear
        fields = AcademicYear.editable_fields
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class PersonForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = Person.editable_fields

    def __init__(self, *args: Any, departments: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "programme", Programme.objects.select_related("department"))
        if departments is not None:
            set_choices(self, "department", departments)


class RoleGrantForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    scope_kind = forms.ChoiceField(label=_("Scope"), choices=ScopeKind.choices, initial=ScopeKind.SCHOOL)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.all(), required=False)
    process = forms.ModelChoiceField(
        label=_("Process"), queryset=Process.objects.filter(is_active=True).only("id", "code", "name"), required=False
    )
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DateInput())
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RoleRevokeForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
