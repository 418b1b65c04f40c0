from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amelio.core.forms import DateInput, StyledFormMixin, set_choices
from amelio.organisation.models import Person
from amelio.organisation.selectors import staff_choices
from amelio.standards.models import Clause

from .choices import RaciResponsibility, StatementKind
from .models import Activity, ContextIssue, InterestedParty, Process, Statement


class ProcessForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Process
        fields = Process.editable_fields
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "inputs": forms.Textarea(attrs={"rows": 3}),
            "outputs": forms.Textarea(attrs={"rows": 3}),
            "resources": forms.Textarea(attrs={"rows": 3}),
            "interacts_with": forms.SelectMultiple(attrs={"size": 8}),
            "clauses": forms.SelectMultiple(attrs={"size": 10}),
        }
        help_texts = {
            "interacts_with": _(
                "The processes this one hands its outputs to (hold Ctrl, or Cmd on a Mac, to pick several)."
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "owner", staff_choices())
        set_choices(self, "interacts_with", Process.objects.only("id", "code", "name"))
        set_choices(self, "clauses", Clause.objects.order_by("sort_key"))


class ActivityForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = Activity.editable_fields
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class RaciForm(StyledFormMixin, forms.Form):
    activity = forms.ModelChoiceField(label=_("Activity"), queryset=Activity.objects.none())
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    responsibility = forms.ChoiceField(label=_("Responsibility"), choices=RaciResponsibility.choices)

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Not process.activities.all(): on the process page that is the prefetched queryset,
        # which would run its RACI prefetch again for the choices.
        set_choices(self, "activity", Activity.objects.filter(process=process).only("id", "name"))
        set_choices(self, "person", staff_choices())


class InteractionForm(StyledFormMixin, forms.Form):
    target = forms.ModelChoiceField(label=_("Hands over to"), queryset=Process.objects.none())
    description = forms.CharField(label=_("What flows"), max_length=300, required=False)

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "target", Process.objects.exclude(pk=process.pk).only("id", "code", "name"))


class ContextIssueForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ContextIssue
        fields = ContextIssue.editable_fields
        widgets = {"reviewed_on": DateInput(), "processes": forms.SelectMultiple(attrs={"size": 6})}


class InterestedPartyForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = InterestedParty
        fields = InterestedParty.editable_fields
        widgets = {"processes": forms.SelectMultiple(attrs={"size": 6})}


class StatementForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Statement
        fields = Statement.editable_fields
        widgets = {"text": forms.Textarea(attrs={"rows": 12})}


STATEMENT_KINDS = dict(StatementKind.choices)
