"""Forms of documented information. They check the shape of what is typed; the services
check the rules (permissions, the state machine, the file's content)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amelio.core.forms import DateInput, StyledFormMixin, set_choices
from amelio.organisation.choices import Role
from amelio.organisation.models import Person
from amelio.organisation.selectors import staff_choices

from .models import Document, DocumentVersion

FILE_HELP = _("PDF, image, office document or plain text; checked by its content.")


class DocumentForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Document
        fields = Document.editable_fields
        widgets = {
            "review_due_on": DateInput(),
            "processes": forms.CheckboxSelectMultiple(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, processes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "processes", processes)
        for name in ("owner", "author", "reviewer", "approver"):
            set_choices(self, name, staff_choices())


class DocumentCreateForm(DocumentForm):
    class Meta(DocumentForm.Meta):
        fields = ("reference", *Document.editable_fields)


class VersionForm(StyledFormMixin, forms.ModelForm):
    file = forms.FileField(label=_("File"), required=False, help_text=FILE_HELP)

    class Meta:
        model = DocumentVersion
        fields = DocumentVersion.editable_fields
        widgets = {"change_summary": forms.Textarea(attrs={"rows": 2}), "text": forms.Textarea(attrs={"rows": 14})}


class DistributionForm(StyledFormMixin, forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Every holder of these roles"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(),
    )
    people = forms.ModelMultipleChoiceField(
        label=_("These people"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "people",
            Person.objects.filter(is_active=True)
            .only("id", "first_name", "last_name", "email")
            .order_by("last_name", "first_name"),
        )
