from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amelio.core.forms import DateInput, StyledFormMixin, set_choices
from amelio.processes.models import Process

from .choices import Role, ScopeKind
from .models import AcademicYear, Department, Person, Programme, School


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


class SchoolForm(StyledFormMixin, forms.ModelForm):
    # A website typed without its scheme is taken as https (Django 6's default).
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = School
        fields = School.editable_fields
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}


class SchoolLogoForm(StyledFormMixin, forms.Form):
    logo = forms.FileField(label=_("Logo"), help_text=_("A PNG or JPEG image, printed at the top of the PDFs."))


class SetupStructureForm(StyledFormMixin, forms.Form):
    lines = forms.CharField(
        label=_("Departments and programmes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "placeholder": "GC; Génie Civil\nGC-ING; Ingénieur Génie Civil; GC"}),
        help_text=_(
            "One per line. “CODE; Name” is a department; “CODE; Name; DEPARTMENT CODE” is a programme "
            "(add “; apprenticeship” for one by apprenticeship). Paste from a spreadsheet works too."
        ),
    )
    file = forms.FileField(
        label=_("Or a CSV file"),
        required=False,
        help_text=_("The same columns, separated by semicolons, in UTF-8."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            try:
                data["lines"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("file", _("The file is not UTF-8 text."))
        elif not (data.get("lines") or "").strip():
            self.add_error("lines", _("Type at least one department and one programme, or choose a file."))
        return data


class SetupQualityManagerForm(StyledFormMixin, forms.Form):
    email = forms.EmailField(label=_("Email"))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    password = forms.CharField(
        label=_("First password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Optional: without it, they choose one through “forgotten password”."),
    )

    def clean_password(self) -> str:
        from django.contrib.auth.password_validation import validate_password

        password: str = self.cleaned_data.get("password") or ""
        if password:
            validate_password(password)
        return password
