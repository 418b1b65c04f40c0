from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amelio.core.forms import DateInput, MultipleFileField, StyledFormMixin, set_choices
from amelio.organisation.selectors import staff_choices
from amelio.processes.models import Process
from amelio.standards.models import Clause

from .choices import ComplainantKind, Origin, ReportKind
from .models import Action, ImprovementItem


class ItemRaiseForm(StyledFormMixin, forms.ModelForm):
    attachments = MultipleFileField(
        label=_("Attachments"), required=False, help_text=_("PDF, image, office document or text.")
    )

    class Meta:
        model = ImprovementItem
        fields = ["origin", "title", "description", "process", "department", "severity", "complainant_kind", "clauses"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5}), "clauses": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "process", Process.objects.filter(is_active=True).only("id", "code", "name"))
        set_choices(self, "clauses", Clause.objects.order_by("sort_key"))
        # An item of a risk is raised from the risk's page, which links the two.
        origin = self.fields["origin"]
        assert isinstance(origin, forms.ChoiceField)
        origin.choices = [("", "---------"), *((o.value, o.label) for o in Origin if o != Origin.RISK)]
        origin.required = True  # empty only while a report in plain words waits to be classified


# The fields a report in plain words may not carry: the classification's (item_classify).
CLASSIFICATION_FIELD_NAMES = ("origin", "severity", "complainant_kind", "department", "clauses", "due_on")


class ProcessByNameField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Processes in plain words: their names, without the codes of the process map."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ItemReportForm(StyledFormMixin, forms.Form):
    """A problem or an idea in plain words, for a student or anyone outside the quality
    system (improvement.raise_classified refused): what it is, a title, what happened, and
    where if they know. The classification is set later by those who manage the item."""

    reported_as = forms.ChoiceField(
        label=_("Is it a problem or an idea?"), choices=ReportKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("In a few words"), max_length=200)
    description = forms.CharField(
        label=_("What happened, or what is your idea?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("When and where it happened, who it affects, what you suggest."),
    )
    process = ProcessByNameField(
        label=_("Which part of the school's work is it about?"),
        queryset=Process.objects.none(),
        required=False,
        empty_label=_("I don't know: the person in charge will choose"),
    )
    attachments = MultipleFileField(
        label=_("Attachments"), required=False, help_text=_("PDF, image, office document or text.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)
        process = self.fields["process"]
        assert isinstance(process, forms.ModelChoiceField)
        process.queryset = Process.objects.filter(is_active=True).only("id", "name").order_by("name")

    def clean(self) -> dict[str, Any]:
        # The form has no such fields; a post that carries them anyway is refused, not ignored.
        sent = sorted(name for name in CLASSIFICATION_FIELD_NAMES if name in self.data)
        if sent:
            raise forms.ValidationError(
                _("These fields are set by the person who classifies the report: %(fields)s.")
                % {"fields": ", ".join(sent)},
                code="classification_refused",
            )
        return super().clean() or {}


class ClassifyForm(StyledFormMixin, forms.ModelForm):
    """What classifying a report asks: its origin and what goes with it."""

    class Meta:
        model = ImprovementItem
        fields = ["origin", "severity", "complainant_kind", "process", "department", "clauses"]
        widgets = {"clauses": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "process", Process.objects.filter(is_active=True).only("id", "code", "name"))
        set_choices(self, "clauses", Clause.objects.order_by("sort_key"))
        origin = self.fields["origin"]
        assert isinstance(origin, forms.ChoiceField)
        origin.choices = [("", "---------"), *((o.value, o.label) for o in Origin if o != Origin.RISK)]
        origin.required = True


class ItemUpdateForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ImprovementItem
        fields = ImprovementItem.editable_fields
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "clauses": forms.SelectMultiple(attrs={"size": 6}),
            "due_on": DateInput(),
        }


class TargetDateForm(StyledFormMixin, forms.Form):
    """What accepting an item asks besides its reason."""

    due_on = forms.DateField(label=_("Target date"), required=False, widget=DateInput())


class AnalysisForm(StyledFormMixin, forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["root_cause"].required = True  # the service refuses an analysis without it

    class Meta:
        model = ImprovementItem
        fields = ["immediate_correction", "root_cause_method", "root_cause_analysis", "root_cause", "extent"]
        widgets = {
            "immediate_correction": forms.Textarea(attrs={"rows": 2}),
            "root_cause_analysis": forms.Textarea(attrs={"rows": 5}),
            "root_cause": forms.Textarea(attrs={"rows": 2}),
            "extent": forms.Textarea(attrs={"rows": 2}),
        }


class ActionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Action
        fields = Action.editable_fields
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "due_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "owner", staff_choices())
        if "process" in self.fields:
            set_choices(self, "process", Process.objects.filter(is_active=True).only("id", "code", "name"))


class ItemActionForm(ActionForm):
    class Meta(ActionForm.Meta):
        fields = ("kind", "title", "description", "owner", "due_on")


class NoteForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("Progress note"), widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("File"))


class PublicComplaintForm(StyledFormMixin, forms.Form):
    contact_name = forms.CharField(label=_("Your name"), max_length=200)
    contact_email = forms.EmailField(label=_("Your email address"))
    complainant_kind = forms.ChoiceField(label=_("You are"), choices=ComplainantKind.choices)
    title = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("Your complaint"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)
    # Left empty by people; robots fill every field.
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
