from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amelio.core.forms import DateInput, StyledFormMixin, set_choices
from amelio.improvement.models import Action
from amelio.organisation.models import AcademicYear, Department, Programme
from amelio.organisation.selectors import staff_choices
from amelio.processes.models import Process

from .choices import PeriodKind, ScopeKind
from .computed import computation_choices
from .models import Indicator, Objective, ObjectiveMeasure


class IndicatorForm(StyledFormMixin, forms.ModelForm):
    computation = forms.ChoiceField(label=_("Computation"), required=False)

    class Meta:
        model = Indicator
        fields = Indicator.editable_fields
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        computation = self.fields["computation"]
        assert isinstance(computation, forms.ChoiceField)
        computation.choices = [("", "—"), *computation_choices()]
        self.fields["computation"].help_text = Indicator._meta.get_field("computation").help_text
        set_choices(self, "owner", staff_choices())
        set_choices(self, "process", Process.objects.filter(is_active=True).only("id", "code", "name"))


class TargetForm(StyledFormMixin, forms.Form):
    academic_year = forms.ModelChoiceField(label=_("Academic year"), queryset=AcademicYear.objects.all())
    target = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=2)
    alert_threshold = forms.DecimalField(label=_("Alert threshold"), max_digits=14, decimal_places=2)


class ValueForm(StyledFormMixin, forms.Form):
    """A value entered by hand; the scope asked for is the indicator's kind of scope."""

    academic_year = forms.ModelChoiceField(label=_("Academic year"), queryset=AcademicYear.objects.all())
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.filter(is_active=True), required=False
    )
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.filter(is_active=True), required=False
    )
    period = forms.CharField(label=_("Period"), required=False)
    value = forms.DecimalField(label=pgettext_lazy("indicator", "Value"), max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    evidence = forms.FileField(label=_("Evidence"), required=False, help_text=_("PDF, image, office document or text."))

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if indicator.scope_kind != ScopeKind.DEPARTMENT:
            del self.fields["department"]
        else:
            self.fields["department"].required = True
        if indicator.scope_kind != ScopeKind.PROGRAMME:
            del self.fields["programme"]
        else:
            self.fields["programme"].required = True
        self.set_period_field(indicator.period_kind)

    def set_period_field(self, kind: str) -> None:
        """A semester to choose, a month to give (checked against the academic year by the
        service), or nothing for an indicator measured per academic year."""
        if kind == PeriodKind.SEMESTER:
            self.fields["period"] = forms.ChoiceField(
                label=_("Semester"),
                choices=[("", "—"), ("S1", _("Semester 1")), ("S2", _("Semester 2"))],
                widget=forms.Select(attrs={"class": "form-select"}),
                help_text=_("Semester 1 runs from the start of the year to the end of January, semester 2 after."),
            )
        elif kind == PeriodKind.MONTH:
            self.fields["period"] = forms.CharField(
                label=_("Month"),
                max_length=7,
                widget=forms.TextInput(attrs={"type": "month", "placeholder": "2025-10", "class": "form-control"}),
                help_text=_("A month of the academic year, e.g. 2025-10."),
            )
        else:
            del self.fields["period"]


class YearForm(StyledFormMixin, forms.Form):
    academic_year = forms.ModelChoiceField(label=_("Academic year"), queryset=AcademicYear.objects.all())


# Quality objectives (ISO 9001 clause 6.2) --------------------------------------------------------


class ObjectiveForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Objective
        fields = Objective.editable_fields
        widgets = {"commitment": forms.Textarea(attrs={"rows": 3}), "due_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "owner", staff_choices())
        set_choices(self, "process", Process.objects.filter(is_active=True).only("id", "code", "name"))


class MeasureAddForm(StyledFormMixin, forms.Form):
    """An indicator that measures the objective; without a target, the indicator's target of
    the objective's start year is taken."""

    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.none())
    target = forms.DecimalField(
        label=_("Objective's target"),
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("Leave empty to take the indicator's target of the year the objective starts."),
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, indicators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "indicator", indicators)


class MeasureForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ObjectiveMeasure
        fields = ObjectiveMeasure.editable_fields
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class ActionLinkForm(StyledFormMixin, forms.Form):
    action = forms.ModelChoiceField(label=_("Improvement action"), queryset=Action.objects.none())

    def __init__(self, *args: Any, actions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "action", actions)
